{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "s3io.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's resources. */}}
{{- define "s3io.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "s3io.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "s3io.selectorLabels" -}}
app.kubernetes.io/name: {{ include "s3io.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "s3io.labels" -}}
helm.sh/chart: {{ include "s3io.chart" . }}
{{ include "s3io.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "s3io.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "s3io.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Whether the operator takes a Lease before reconciling: asked for, or needed because more than one
replica runs. Renders "true" or "false".
*/}}
{{- define "s3io.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{- define "s3io.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Name of cluster-scoped objects (ClusterRoles, ClusterRoleBindings) and of the RBAC objects in
watched namespaces: the release namespace, then the full name, so that two releases of the same
name in different namespaces never share one. Not truncated: the namespace (63) and the full name
(63) plus a suffix stay far below the 253 characters an RBAC object's name may have, and cutting
the namespace off would bring the collisions back.
*/}}
{{- define "s3io.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "s3io.fullname" .) }}
{{- end }}

{{/*
The operator's rules on namespaced resources, granted where it watches (templates/rbac.yaml).
*/}}
{{- define "s3io.namespacedRules" -}}
# The primary resources: watched through informers; patched to add and remove finalizers
# (update for the SDK's non-SSA path).
- apiGroups: ["s3.integrations.dev"]
  resources: ["s3integrations", "s3accesspolicies", "s3stores"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["s3.integrations.dev"]
  resources: ["s3integrations/status", "s3accesspolicies/status", "s3stores/status"]
  verbs: ["patch", "update"]
# The output Secret's ownerReference sets blockOwnerDeletion, which needs update on the owner's
# finalizers where the OwnerReferencesPermissionEnforcement admission plugin is on (OpenShift).
- apiGroups: ["s3.integrations.dev"]
  resources: ["s3integrations/finalizers", "s3accesspolicies/finalizers", "s3stores/finalizers"]
  verbs: ["update"]
# Secrets: read by name the ones a tenant names (credentials.secretRef, an S3Store's admin and
# CA); a watch that keeps nothing says when one changes (list only to learn where "now" is);
# create and update (or patch) the resolved-config Secret <name>-s3, which the informer selects
# by label. No delete: that Secret carries an ownerReference to its S3Integration, so the garbage
# collector deletes it with the integration.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch"]
# The JVM trust store beside the output Secret when a store has a private CA
# (<secretName>-truststore: public certificates only). Delete: when the CA goes or the Secret is
# renamed; only ConfigMaps owned by the integration are deleted.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Kubernetes Events (core v1) on every state transition.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* A list of strings as CEL string literals, comma-separated: 'a', 'b'. */}}
{{- define "s3io.celStrings" -}}
{{- $out := list }}
{{- range . }}{{ $out = append $out (printf "'%s'" .) }}{{ end }}
{{- join ", " $out }}
{{- end }}

{{/*
CEL: the object (the variable named by the argument: object or oldObject) is absent, or is one the
operator manages: labelled app.kubernetes.io/managed-by=s3-integration-operator or
s3.integrations.dev/record=user, or owned by an S3Integration (templates/admission-policy.yaml).
*/}}
{{- define "s3io.celIsOurs" -}}
{{- $o := . -}}
{{ $o }} == null || (has({{ $o }}.metadata.labels) && ({{ $o }}.metadata.labels.exists(k, k == 'app.kubernetes.io/managed-by' && {{ $o }}.metadata.labels[k] == 's3-integration-operator') || {{ $o }}.metadata.labels.exists(k, k == 's3.integrations.dev/record' && {{ $o }}.metadata.labels[k] == 'user'))) || (has({{ $o }}.metadata.ownerReferences) && {{ $o }}.metadata.ownerReferences.exists(r, r.kind == 'S3Integration' && r.apiVersion.startsWith('s3.integrations.dev/')))
{{- end }}
