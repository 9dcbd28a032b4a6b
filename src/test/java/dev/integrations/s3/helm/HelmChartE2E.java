package dev.integrations.s3.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.testing.InstallScript;
import dev.integrations.s3.testing.OperatorProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, checked with the real Helm CLI (built from its Go module by {@code
 * scripts/install-helm}): it lints strictly, and what {@code helm template} renders is parsed into
 * fabric8 model objects and asserted on: the pod's security settings, probes and environment (which
 * must be accepted by {@link OperatorConfig#fromEnv}), the exact RBAC rules, leader election with
 * more than one replica, namespaced watching, and the CRD copy. When Helm cannot be built the suite
 * fails with the build log; it never skips.
 */
class HelmChartE2E {
  static final Path ROOT = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
  static final Path CHART = ROOT.resolve("helm/s3-integration-operator");
  static final String RELEASE = "s3io";
  static final String NAMESPACE = "s3-operator";
  static final String FULLNAME = "s3io-s3-integration-operator";
  static final String CLUSTER_NAME = NAMESPACE + "-" + FULLNAME;

  static Path helm;
  static Path helmHome;

  @BeforeAll
  static void installHelm() throws IOException {
    helm = install();
    helmHome = Files.createDirectories(ROOT.resolve("target/helm-home"));
  }

  // ------------------------------------------------------------------ lint

  @Test
  void lintPassesInStrictMode() {
    Result lint = helm("lint", "--strict", CHART.toString());
    assertThat(lint.exit).as("helm lint --strict:\n%s", lint.all()).isZero();
    assertThat(lint.out).contains("1 chart(s) linted, 0 chart(s) failed");

    Result withOptions =
        helm(
            "lint",
            "--strict",
            CHART.toString(),
            "--set",
            "replicaCount=2",
            "--set",
            "watchNamespaces={a,b}",
            "--set",
            "metrics.serviceMonitor.enabled=true");
    assertThat(withOptions.exit)
        .as("helm lint --strict with options:\n%s", withOptions.all())
        .isZero();

    Result namespaced =
        helm(
            "lint",
            "--strict",
            CHART.toString(),
            "-f",
            CHART.resolve("values-namespaced.yaml").toString(),
            "--set",
            "crds.templated=true",
            "--set",
            "networkPolicy.enabled=true",
            "--set",
            "networkPolicy.egress.apiServer.cidrs={10.0.0.1/32}",
            "--set-json",
            "networkPolicy.egress.storage=[{\"cidrs\":[\"10.1.0.0/16\"],\"ports\":[9000]}]");
    assertThat(namespaced.exit)
        .as("helm lint --strict, namespaced, templated CRDs, NetworkPolicy:\n%s", namespaced.all())
        .isZero();
  }

  /**
   * The admission policies (issue 21, item 7) as rendered: they apply to the operator's
   * ServiceAccount only, deny, fail closed, and list the protected namespaces; namespaced mode adds
   * the watched namespaces; a release namespace the policy would lock the operator out of is
   * refused; admissionPolicy.enabled=false renders none. ChartRbacE2E shows them on the API server.
   */
  @Test
  void admissionPoliciesBindTheOperatorsServiceAccountAndRefuseSelfLockout() {
    List<ValidatingAdmissionPolicy> policies =
        all(
            template("--set", "admissionPolicy.protectedNamespaces={cert-manager}"),
            ValidatingAdmissionPolicy.class);
    assertThat(policies).hasSize(2);
    for (ValidatingAdmissionPolicy p : policies) {
      assertThat(p.getSpec().getFailurePolicy()).isEqualTo("Fail");
      assertThat(p.getSpec().getMatchConditions())
          .singleElement()
          .satisfies(
              c ->
                  assertThat(c.getExpression())
                      .isEqualTo(
                          "request.userInfo.username == 'system:serviceaccount:"
                              + NAMESPACE
                              + ":"
                              + FULLNAME
                              + "'"));
      assertThat(p.getSpec().getVariables())
          .filteredOn(v -> v.getName().equals("protectedNamespaces"))
          .singleElement()
          .satisfies(
              v ->
                  assertThat(v.getExpression())
                      .isEqualTo(
                          "['kube-system', 'kube-public', 'kube-node-lease', 'cert-manager']"));
    }
    assertThat(all(template(), ValidatingAdmissionPolicyBinding.class))
        .allSatisfy(b -> assertThat(b.getSpec().getValidationActions()).containsExactly("Deny"))
        .extracting(b -> b.getSpec().getPolicyName())
        .containsExactlyInAnyOrder(CLUSTER_NAME + "-secrets", CLUSTER_NAME + "-configmaps");

    assertThat(
            all(
                template("--set", "watchNamespaces={team-a,team-b}"),
                ValidatingAdmissionPolicy.class))
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getValidations())
                    .anySatisfy(
                        v ->
                            assertThat(v.getExpression())
                                .isEqualTo(
                                    "request.namespace in ['team-a', 'team-b', '"
                                        + NAMESPACE
                                        + "']")));

    Result inKubeSystem = helm("template", RELEASE, CHART.toString(), "--namespace", "kube-system");
    assertThat(inKubeSystem.exit).as("a release in kube-system").isNotZero();
    assertThat(inKubeSystem.err).contains("admissionPolicy").contains("kube-system");
    Result watchesProtected =
        helm(
            templateArgs(
                "--set",
                "watchNamespaces={team-a,cert-manager}",
                "--set",
                "admissionPolicy.protectedNamespaces={cert-manager}"));
    assertThat(watchesProtected.exit).as("watching a protected namespace").isNotZero();
    assertThat(watchesProtected.err).contains("cert-manager");

    assertThat(template("--set", "admissionPolicy.enabled=false"))
        .noneMatch(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"));
  }

  @Test
  void schemaRejectsValuesTheOperatorWouldRefuse() {
    Result badFormat = helm(templateArgs("--set", "logFormat=xml"));
    assertThat(badFormat.exit).as("logFormat=xml must be refused").isNotZero();
    assertThat(badFormat.err).contains("logFormat");

    Result badInterval = helm(templateArgs("--set", "verificationInterval=ten minutes"));
    assertThat(badInterval.exit).as("a malformed interval must be refused").isNotZero();
    assertThat(badInterval.err).contains("verificationInterval");

    Result noPort = helm(templateArgs("--set", "httpPort=0"));
    assertThat(noPort.exit)
        .as("httpPort=0 would leave the metrics Service without a port")
        .isNotZero();
    assertThat(noPort.err).contains("httpPort");

    Result noProbePort = helm(templateArgs("--set", "probePort=0"));
    assertThat(noProbePort.exit)
        .as("probePort=0 would leave the probes without a port")
        .isNotZero();
    assertThat(noProbePort.err).contains("probePort");

    // the operator would refuse it (PROBE_PORT must differ from HTTP_PORT): so does the chart
    Result samePort = helm(templateArgs("--set", "probePort=8080"));
    assertThat(samePort.exit).as("probePort equal to httpPort:\n%s", samePort.all()).isNotZero();
    assertThat(samePort.err).contains("probePort and httpPort are both 8080");
  }

  @Test
  void schemaRefusesUnknownKeysAtEveryLevelWeDefine() {
    // The typo the issue reports: watchNamespace instead of watchNamespaces used to install a
    // cluster-wide operator silently.
    Result typo = helm(templateArgs("--set", "watchNamespace={team-a}"));
    assertThat(typo.exit).as("a typo in a top-level key must fail:\n%s", typo.all()).isNotZero();
    assertThat(typo.err)
        .contains("values don't meet the specifications of the schema")
        .contains("additional properties 'watchNamespace' not allowed");

    Map<String, String> nested =
        Map.of(
            "rbac.aggregateToDefaultRole", "/rbac",
            "metrics.service.enable", "/metrics/service",
            "metrics.serviceMonitor.intervall", "/metrics/serviceMonitor",
            "probes.liveness.periodSecond", "/probes/liveness",
            "image.tags", "/image",
            "podDisruptionBudget.maxUnavailabe", "/podDisruptionBudget",
            "networkPolicy.egress.apiserver", "/networkPolicy/egress",
            "crds.template", "/crds");
    nested.forEach(
        (key, at) -> {
          Result r = helm(templateArgs("--set", key + "=1"));
          assertThat(r.exit).as("--set %s must fail:\n%s", key, r.all()).isNotZero();
          String leaf = key.substring(key.lastIndexOf('.') + 1);
          assertThat(r.err).contains("at '" + at + "'").contains("'" + leaf + "' not allowed");
        });

    // The Kubernetes pass-through maps take any key.
    assertThat(
            template(
                "--set",
                "podAnnotations.anything=goes",
                "--set",
                "resources.limits.cpu=1",
                "--set",
                "securityContext.procMount=Default",
                "--set",
                "affinity.nodeAffinity.x=y"))
        .isNotEmpty();
  }

  // ------------------------------------------------------------------ defaults: the pod

  @Test
  void defaultsRenderExactlyTheExpectedObjects() {
    List<HasMetadata> objects = template();
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/" + FULLNAME,
            "ClusterRole/" + CLUSTER_NAME,
            "ClusterRoleBinding/" + CLUSTER_NAME,
            "ClusterRole/" + CLUSTER_NAME + "-cluster",
            "ClusterRoleBinding/" + CLUSTER_NAME + "-cluster",
            "ClusterRole/" + CLUSTER_NAME + "-edit",
            "ClusterRole/" + CLUSTER_NAME + "-view",
            "Role/" + FULLNAME + "-records",
            "RoleBinding/" + FULLNAME + "-records",
            "Service/" + FULLNAME + "-metrics",
            "NetworkPolicy/" + FULLNAME + "-ingress",
            "PodDisruptionBudget/" + FULLNAME,
            "Deployment/" + FULLNAME,
            "ValidatingAdmissionPolicy/" + CLUSTER_NAME + "-secrets",
            "ValidatingAdmissionPolicyBinding/" + CLUSTER_NAME + "-secrets",
            "ValidatingAdmissionPolicy/" + CLUSTER_NAME + "-configmaps",
            "ValidatingAdmissionPolicyBinding/" + CLUSTER_NAME + "-configmaps");
    assertThat(objects)
        .filteredOn(
            o ->
                !o.getKind().startsWith("Cluster")
                    && !o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
  }

  @Test
  void podRunsNonRootReadOnlyWithoutCapabilities() {
    Deployment deployment = one(template(), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    PodSecurityContext podSc = pod.getSecurityContext();
    assertThat(podSc.getRunAsNonRoot()).isTrue();
    assertThat(podSc.getRunAsUser()).isEqualTo(65532L);
    assertThat(podSc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container c = operatorContainer(deployment);
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getRunAsUser()).isEqualTo(65532L);
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    // The JVM's only writable place: an emptyDir at /tmp.
    assertThat(c.getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    Volume tmp =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(c.getVolumeMounts().get(0).getName()))
            .findFirst()
            .orElseThrow();
    assertThat(tmp.getEmptyDir()).as("the /tmp volume is an emptyDir").isNotNull();

    assertThat(c.getImage()).isEqualTo("localhost/s3-integration-operator:0.1.0");
    assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity("256Mi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("640Mi"));
    // the operator JVMs of the tests and the benchmark see the same memory as this pod
    assertThat(new Quantity(OperatorProcess.CHART_MEMORY.replace("m", "Mi")))
        .isEqualTo(c.getResources().getLimits().get("memory"));
  }

  @Test
  void probesUseTheHealthEndpointsOnTheProbePortApartFromTheMetrics() {
    Container c = operatorContainer(one(template(), Deployment.class));
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort() + "/" + p.getProtocol())
        .containsExactly("http=8080/TCP", "probes=8081/TCP");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("probes");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("probes");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("probes");
  }

  @Test
  void environmentIsWhatTheOperatorReads() throws IOException {
    Deployment deployment = one(template(), Deployment.class);
    Container c = operatorContainer(deployment);
    Map<String, String> env = plainEnv(c);
    assertThat(env)
        .contains(
            entry(OperatorConfig.WATCH_NAMESPACES, ""),
            entry(OperatorConfig.VERIFICATION_INTERVAL, "10m"),
            entry(OperatorConfig.HTTP_PORT, "8080"),
            entry(OperatorConfig.PROBE_PORT, "8081"),
            entry(OperatorConfig.LOG_FORMAT, "json"),
            entry(OperatorConfig.LEADER_ELECTION, "false"),
            entry(OperatorConfig.RECONCILE_THREADS, "10"));
    assertThat(env.get("JAVA_TOOL_OPTIONS"))
        .contains(dev.integrations.s3.testing.OperatorProcess.CHART_RAM_PERCENTAGE)
        .contains(dev.integrations.s3.testing.OperatorProcess.CHART_GC)
        .doesNotContain("-Xmx")
        .as("the image's own default, so both ways of running it start the same JVM")
        .isEqualTo(dev.integrations.s3.image.ImageLayoutTest.layout().get("JAVA_TOOL_OPTIONS"));

    for (String fromPod :
        List.of(OperatorConfig.LEADER_ELECTION_NAMESPACE, OperatorConfig.OPERATOR_NAMESPACE)) {
      EnvVar v = envVar(c, fromPod);
      assertThat(v.getValue()).as(fromPod).isNull();
      assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    }

    // The rendered values are ones the operator accepts, and mean what the chart says.
    Map<String, String> asSeen = new LinkedHashMap<>(env);
    asSeen.put(OperatorConfig.LEADER_ELECTION_NAMESPACE, NAMESPACE);
    asSeen.put(OperatorConfig.OPERATOR_NAMESPACE, NAMESPACE);
    OperatorConfig config = OperatorConfig.fromEnv(asSeen);
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.logFormat()).isEqualTo(OperatorConfig.LogFormat.JSON);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.probePort()).isEqualTo(8081);
    assertThat(config.defaultVerificationInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.operatorNamespace()).isEqualTo(NAMESPACE);

    // One replica without a lease: never two operators at once, even during an upgrade.
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
  }

  @Test
  void valuesReachThePod() throws IOException {
    Path values = Files.createTempFile(ROOT.resolve("target"), "values", ".yaml");
    Files.writeString(
        values,
        """
        image: {repository: registry.example/s3io, tag: "1.2.3"}
        logFormat: text
        verificationInterval: 1h30m
        reconcileThreads: 4
        javaOptions: -Xss512k
        extraEnv:
          - {name: HTTPS_PROXY, value: "http://proxy:3128"}
        podAnnotations: {team: storage}
        nodeSelector: {kubernetes.io/os: linux}
        """);
    try {
      Deployment deployment = one(template("-f", values.toString()), Deployment.class);
      Container c = operatorContainer(deployment);
      Map<String, String> env = plainEnv(c);
      assertThat(c.getImage()).isEqualTo("registry.example/s3io:1.2.3");
      assertThat(env)
          .contains(
              entry(OperatorConfig.LOG_FORMAT, "text"),
              entry(OperatorConfig.VERIFICATION_INTERVAL, "1h30m"),
              entry(OperatorConfig.RECONCILE_THREADS, "4"),
              entry("HTTPS_PROXY", "http://proxy:3128"));
      assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=60", "-Xss512k");
      assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry("team", "storage");
      assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector())
          .containsEntry("kubernetes.io/os", "linux");
      assertThat(OperatorConfig.fromEnv(env).defaultVerificationInterval())
          .isEqualTo(Duration.ofMinutes(90));
    } finally {
      Files.deleteIfExists(values);
    }
  }

  @Test
  void metricsServiceSelectsThePodAndServiceMonitorIsOptIn() {
    List<HasMetadata> objects = template();
    Service service = one(objects, Service.class);
    Deployment deployment = one(objects, Deployment.class);
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(objects).noneMatch(o -> o.getKind().equals("ServiceMonitor"));

    GenericKubernetesResource monitor =
        template("--set", "metrics.serviceMonitor.enabled=true").stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ServiceMonitor rendered"));
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    Map<String, Object> endpoint =
        monitor.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    assertThat(monitor.<Map<String, Object>>get("spec", "selector", "matchLabels"))
        .isEqualTo(service.getSpec().getSelector());
  }

  @Test
  void prometheusRuleAndGrafanaDashboardAreOptInAndCarryTheChartsFiles() throws IOException {
    assertThat(template())
        .noneMatch(o -> o.getKind().equals("PrometheusRule"))
        .noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));

    List<HasMetadata> objects =
        template(
            "--set",
            "metrics.prometheusRule.enabled=true",
            "--set",
            "metrics.prometheusRule.labels.release=prometheus",
            "--set",
            "metrics.grafanaDashboard.enabled=true",
            "--set",
            "metrics.grafanaDashboard.annotations.grafana_folder=Operators");
    GenericKubernetesResource rule =
        objects.stream()
            .filter(o -> o.getKind().equals("PrometheusRule"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no PrometheusRule rendered"));
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    // the spec is the rule file promtool checks (PromtoolE2E), unchanged
    JsonNode file =
        Serialization.yamlMapper()
            .readTree(Files.readString(CHART.resolve("files/prometheus-rules.yaml")));
    JsonNode spec =
        Serialization.jsonMapper().valueToTree(rule.getAdditionalProperties().get("spec"));
    assertThat(spec).isEqualTo(file);

    io.fabric8.kubernetes.api.model.ConfigMap dashboard =
        named(objects, io.fabric8.kubernetes.api.model.ConfigMap.class, FULLNAME + "-dashboard");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Operators");
    JsonNode json =
        Serialization.jsonMapper()
            .readTree(dashboard.getData().get("s3-integration-operator.json"));
    assertThat(json)
        .isEqualTo(
            Serialization.jsonMapper()
                .readTree(Files.readString(CHART.resolve("files/grafana-dashboard.json"))));
    assertThat(json.path("panels")).isNotEmpty();
    assertThat(json.findValues("expr")).isNotEmpty(); // MetricsE2E checks each against /metrics

    // the sidecar's label is configurable; a typo in the new objects is refused
    assertThat(
            named(
                    template(
                        "--set",
                        "metrics.grafanaDashboard.enabled=true",
                        "--set",
                        "metrics.grafanaDashboard.labels.grafana_dashboard=null",
                        "--set",
                        "metrics.grafanaDashboard.labels.dashboards=s3"),
                    io.fabric8.kubernetes.api.model.ConfigMap.class,
                    FULLNAME + "-dashboard")
                .getMetadata()
                .getLabels())
        .containsEntry("dashboards", "s3")
        .doesNotContainKey("grafana_dashboard");
    Result typo = helm(templateArgs("--set", "metrics.prometheusRule.enable=true"));
    assertThat(typo.exit).as("metrics.prometheusRule.enable is not a value").isNotZero();
    assertThat(typo.err).contains("enable");
  }

  // ------------------------------------------------------------------ RBAC

  @Test
  void clusterRolesGrantExactlyWhatTheOperatorNeeds() {
    List<HasMetadata> objects = template();
    for (ClusterRole r : all(objects, ClusterRole.class)) {
      for (PolicyRule rule : r.getRules()) {
        assertThat(rule.getVerbs()).as("verbs of %s", rule).doesNotContain("*");
        assertThat(rule.getResources()).as("resources of %s", rule).doesNotContain("*");
        assertThat(rule.getApiGroups()).as("apiGroups of %s", rule).doesNotContain("*");
        assertThat(rule.getNonResourceURLs()).as("%s", rule).isNullOrEmpty();
      }
    }
    ClusterRole role = named(objects, ClusterRole.class, CLUSTER_NAME);
    Map<String, Set<String>> verbs = verbsByResource(role.getRules());
    Set<String> primary = Set.of("get", "list", "watch", "patch", "update");
    assertThat(verbs)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("s3.integrations.dev/s3integrations", primary),
                Map.entry("s3.integrations.dev/s3accesspolicies", primary),
                Map.entry("s3.integrations.dev/s3stores", primary),
                Map.entry("s3.integrations.dev/s3integrations/status", Set.of("patch", "update")),
                Map.entry("s3.integrations.dev/s3accesspolicies/status", Set.of("patch", "update")),
                Map.entry("s3.integrations.dev/s3stores/status", Set.of("patch", "update")),
                Map.entry("s3.integrations.dev/s3integrations/finalizers", Set.of("update")),
                Map.entry("s3.integrations.dev/s3accesspolicies/finalizers", Set.of("update")),
                Map.entry("s3.integrations.dev/s3stores/finalizers", Set.of("update")),
                Map.entry("/secrets", Set.of("get", "list", "watch", "create", "update", "patch")),
                // the JVM trust store beside the Secret: public certificates, deleted with the CA
                Map.entry(
                    "/configmaps",
                    Set.of("get", "list", "watch", "create", "update", "patch", "delete")),
                Map.entry("/events", Set.of("create", "patch"))));
    // Deleting the output Secret is the garbage collector's job (ownerReference), not ours.
    assertThat(verbs.get("/secrets")).doesNotContain("delete", "deletecollection");
    ClusterRoleBinding binding = named(objects, ClusterRoleBinding.class, CLUSTER_NAME);
    assertThat(binding.getRoleRef().getName()).isEqualTo(CLUSTER_NAME);
    assertOperatorServiceAccount(binding.getSubjects(), objects);

    ClusterRole cluster = named(objects, ClusterRole.class, CLUSTER_NAME + "-cluster");
    assertThat(verbsByResource(cluster.getRules()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "s3.integrations.dev/clusters3stores", primary,
                "s3.integrations.dev/clusters3stores/status", Set.of("patch", "update"),
                "s3.integrations.dev/clusters3stores/finalizers", Set.of("update"),
                // a ClusterS3Store counts and is kept by every integration naming it
                "s3.integrations.dev/s3integrations", Set.of("get", "list", "watch"),
                "/namespaces", Set.of("get", "list", "watch"),
                "/events", Set.of("create", "patch")));

    // Deleting Secrets only in the operator's own namespace: its ownership records.
    Role records = named(objects, Role.class, FULLNAME + "-records");
    assertThat(records.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(verbsByResource(records.getRules()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "/secrets", Set.of("get", "list", "watch", "create", "update", "patch", "delete")));

    // No lease permissions unless leader election is on.
    assertThat(all(objects, Role.class)).hasSize(1);
  }

  @Test
  void tenantsGetTheirKindsThroughEditAndViewStoresOnlyWhenOptedInNeverClusterStores() {
    List<HasMetadata> objects = template();
    ClusterRole edit = named(objects, ClusterRole.class, CLUSTER_NAME + "-edit");
    assertThat(edit.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
    assertThat(verbsByResource(edit.getRules()).keySet())
        .containsExactlyInAnyOrder(
            "s3.integrations.dev/s3integrations", "s3.integrations.dev/s3accesspolicies");
    // tenants' own S3Stores are an opt-in (they name endpoints the operator's pod connects to)
    assertThat(objects).noneMatch(o -> o.getMetadata().getName().endsWith("-edit-stores"));
    ClusterRole stores =
        named(
            template("--set", "rbac.tenantStores=true"),
            ClusterRole.class,
            CLUSTER_NAME + "-edit-stores");
    assertThat(stores.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true");
    assertThat(verbsByResource(stores.getRules()).keySet())
        .containsExactly("s3.integrations.dev/s3stores");
    ClusterRole view = named(objects, ClusterRole.class, CLUSTER_NAME + "-view");
    assertThat(view.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
    assertThat(verbsByResource(view.getRules()).values())
        .allSatisfy(v -> assertThat(v).containsExactlyInAnyOrder("get", "list", "watch"));
    assertThat(template("--set", "rbac.aggregateToDefaultRoles=false"))
        .noneMatch(o -> o.getMetadata().getName().endsWith("-edit"));
  }

  @Test
  void clusterStoresCanBeCreatedWithTheRelease() throws IOException {
    Path values = Files.createTempFile(ROOT.resolve("target"), "stores", ".yaml");
    Files.writeString(
        values,
        """
        clusterStores:
          - name: minio-prod
            spec:
              endpoint: minio.storage.svc
              port: 9000
              admin: {secretRef: {name: minio-admin}, userPrefix: "k8s."}
              allow:
                - namespaceSelector: {matchLabels: {team: vision}}
                  buckets: ["vision-*"]
        """);
    try {
      GenericKubernetesResource store =
          template("-f", values.toString()).stream()
              .filter(o -> o.getKind().equals("ClusterS3Store"))
              .map(GenericKubernetesResource.class::cast)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ClusterS3Store rendered"));
      assertThat(store.getMetadata().getName()).isEqualTo("minio-prod");
      assertThat(store.getAdditionalProperties().get("spec").toString())
          .contains("minio.storage.svc", "userPrefix=k8s.", "vision-*");
    } finally {
      Files.deleteIfExists(values);
    }
  }

  @Test
  void moreThanOneReplicaTurnsLeaderElectionOnWithItsLeaseRole() {
    List<HasMetadata> objects = template("--set", "replicaCount=2");
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Map<String, String> env = plainEnv(operatorContainer(deployment));
    assertThat(env).containsEntry(OperatorConfig.LEADER_ELECTION, "true");
    assertThat(OperatorConfig.fromEnv(env).leaderElection()).isTrue();
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");

    Role role = named(objects, Role.class, FULLNAME + "-leader-election");
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(verbsByResource(role.getRules()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update", "patch")));
    RoleBinding binding = named(objects, RoleBinding.class, FULLNAME + "-leader-election");
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertOperatorServiceAccount(binding.getSubjects(), objects);

    // The explicit switch does the same with one replica.
    Deployment single = one(template("--set", "leaderElection.enabled=true"), Deployment.class);
    assertThat(plainEnv(operatorContainer(single)))
        .containsEntry(OperatorConfig.LEADER_ELECTION, "true");
  }

  @Test
  void watchedNamespacesAreWatchedAndTheOnlyOnesGranted() {
    List<HasMetadata> objects = template("--set", "watchNamespaces={a,b}");
    Map<String, String> env = plainEnv(operatorContainer(one(objects, Deployment.class)));
    assertThat(env).containsEntry(OperatorConfig.WATCH_NAMESPACES, "a,b");
    assertThat(OperatorConfig.fromEnv(env).watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertNamespacedGrants(objects, "a", "b");
  }

  @Test
  void namespacedValuesFileGrantsRolesPerNamespaceAndNoSecretClusterWide() {
    Path file = CHART.resolve("values-namespaced.yaml");
    List<HasMetadata> example = template("-f", file.toString());
    assertThat(plainEnv(operatorContainer(one(example, Deployment.class))))
        .containsEntry(OperatorConfig.WATCH_NAMESPACES, "team-a");
    assertNamespacedGrants(example, "team-a");

    List<HasMetadata> objects =
        template("-f", file.toString(), "--set", "watchNamespaces={team-x,team-y}");
    assertNamespacedGrants(objects, "team-x", "team-y");
    // Tenants still get their kinds through edit and view.
    assertThat(all(objects, ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .contains(CLUSTER_NAME + "-edit", CLUSTER_NAME + "-view");
  }

  /**
   * Namespaced mode: a Role and RoleBinding with the operator's rules in each watched namespace,
   * the only ClusterRoleBinding is the one for the cluster-scoped kinds, and no ClusterRole names
   * Secrets or ConfigMaps.
   */
  static void assertNamespacedGrants(List<HasMetadata> objects, String... namespaces) {
    assertThat(all(objects, ClusterRoleBinding.class))
        .extracting(b -> b.getRoleRef().getName())
        .containsExactly(CLUSTER_NAME + "-cluster");
    for (ClusterRole r : all(objects, ClusterRole.class)) {
      assertThat(verbsByResource(r.getRules()).keySet())
          .as("resources ClusterRole %s grants", r.getMetadata().getName())
          .doesNotContain("/secrets", "/configmaps");
    }
    List<Role> roles =
        all(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals(CLUSTER_NAME))
            .toList();
    assertThat(roles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder(namespaces);
    for (Role r : roles) {
      Map<String, Set<String>> verbs = verbsByResource(r.getRules());
      assertThat(verbs)
          .containsEntry("/secrets", Set.of("get", "list", "watch", "create", "update", "patch"))
          .containsKey("s3.integrations.dev/s3integrations/status");
    }
    List<RoleBinding> bindings =
        all(objects, RoleBinding.class).stream()
            .filter(b -> b.getMetadata().getName().equals(CLUSTER_NAME))
            .toList();
    assertThat(bindings)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder(namespaces);
    for (RoleBinding b : bindings) {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(b.getRoleRef().getName()).isEqualTo(CLUSTER_NAME);
      assertOperatorServiceAccount(b.getSubjects(), objects);
    }
  }

  @Test
  void releasesOfTheSameNameInTwoNamespacesShareNoObject() {
    for (String mode : List.of("replicaCount=1", "watchNamespaces={shared,other}")) {
      Set<String> first = identities(templateIn("ns-one", "--set", mode));
      Set<String> second = identities(templateIn("ns-two", "--set", mode));
      assertThat(first).as("objects of release %s in ns-one (%s)", RELEASE, mode).isNotEmpty();
      assertThat(first)
          .as("objects both releases would write (%s)", mode)
          .doesNotContainAnyElementsOf(second);
    }
    // The longest names fit, and the namespace is never cut off.
    String longNs = "n".repeat(63);
    List<HasMetadata> longest = templateIn(longNs, "--set", "fullnameOverride=" + "f".repeat(63));
    assertThat(all(longest, ClusterRole.class))
        .allSatisfy(
            r ->
                assertThat(r.getMetadata().getName())
                    .startsWith(longNs + "-")
                    .hasSizeLessThanOrEqualTo(253));
  }

  /**
   * The README's sharding recipe: releases in one namespace, each with its own namespaces and
   * Lease; only the first reconciles ClusterS3Stores, the others may only read them and read no
   * S3Integration outside their namespaces.
   */
  @Test
  void shardsInOneNamespaceShareNoObjectOrLeaseAndOnlyOneOwnsClusterStores() {
    List<HasMetadata> first =
        parse(
            helm(
                "template",
                "shard-a",
                CHART.toString(),
                "--namespace",
                NAMESPACE,
                "--set",
                "watchNamespaces={team-a},leaderElection.enabled=true"));
    List<HasMetadata> second =
        parse(
            helm(
                "template",
                "shard-b",
                CHART.toString(),
                "--namespace",
                NAMESPACE,
                "--set",
                "watchNamespaces={team-b},leaderElection.enabled=true,clusterStoreController=false"));
    assertThat(identities(first)).doesNotContainAnyElementsOf(identities(second));
    OperatorConfig a =
        OperatorConfig.fromEnv(plainEnv(operatorContainer(one(first, Deployment.class))));
    OperatorConfig b =
        OperatorConfig.fromEnv(plainEnv(operatorContainer(one(second, Deployment.class))));
    assertThat(a.leaseName()).isEqualTo("shard-a-s3-integration-operator");
    assertThat(b.leaseName()).isEqualTo("shard-b-s3-integration-operator");
    assertThat(a.clusterStoreController()).isTrue();
    assertThat(b.clusterStoreController()).isFalse();

    ClusterRole readOnly =
        all(second, ClusterRole.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("-cluster"))
            .findFirst()
            .orElseThrow();
    assertThat(verbsByResource(readOnly.getRules()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "s3.integrations.dev/clusters3stores", Set.of("get", "list", "watch"),
                "/namespaces", Set.of("get", "list", "watch"),
                "/events", Set.of("create", "patch")));
    // An explicit Lease name wins over the release's.
    assertThat(
            OperatorConfig.fromEnv(
                    plainEnv(
                        operatorContainer(
                            one(
                                template(
                                    "--set", "leaderElection.leaseName=s3-integration-operator"),
                                Deployment.class))))
                .leaseName())
        .isEqualTo("s3-integration-operator");
  }

  /** Kind, namespace (empty when cluster-scoped) and name of each object. */
  static Set<String> identities(List<HasMetadata> objects) {
    Set<String> out = new TreeSet<>();
    for (HasMetadata o : objects) {
      String ns = o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
      out.add(o.getKind() + "/" + ns + "/" + o.getMetadata().getName());
    }
    return out;
  }

  // ------------------------------------------------------------------ PDB, NetworkPolicy

  @Test
  void podDisruptionBudgetNeverBlocksADrainAndKeepsAStandby() {
    List<HasMetadata> objects = template();
    PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

    PodDisruptionBudget min =
        one(
            template("--set", "replicaCount=2", "--set", "podDisruptionBudget.minAvailable=1"),
            PodDisruptionBudget.class);
    assertThat(min.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(min.getSpec().getMaxUnavailable()).isNull();

    Result blocking = helm(templateArgs("--set", "podDisruptionBudget.minAvailable=1"));
    assertThat(blocking.exit).as("minAvailable 1 of 1 replica:\n%s", blocking.all()).isNotZero();
    assertThat(blocking.err).contains("would block every node drain");

    assertThat(template("--set", "podDisruptionBudget.enabled=false"))
        .noneMatch(o -> o instanceof PodDisruptionBudget);
  }

  /**
   * Issue 21, item 9: /metrics names every integration, so by default only the namespace
   * "monitoring" may reach the metrics port; the probe port stays open to the kubelet; nothing else
   * gets in. Egress stays opt-in (it needs the API server's addresses).
   */
  @Test
  void ingressPolicyIsOnByDefaultAndOpensTheMetricsPortOnlyToTheNamedPeers() {
    List<HasMetadata> objects = template();
    NetworkPolicy np = one(objects, NetworkPolicy.class);
    assertThat(np.getMetadata().getName()).isEqualTo(FULLNAME + "-ingress");
    assertThat(one(objects, Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(np.getSpec().getEgress()).isNullOrEmpty();
    assertThat(ingressRules(np))
        .containsExactly(
            "[anywhere] -> [8081/TCP]",
            "[ns{kubernetes.io/metadata.name=monitoring}] -> [8080/TCP]");

    // other scrapers, named by the values
    NetworkPolicy custom =
        one(
            template(
                "--set-json",
                "metrics.allowFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"team\":\"obs\"}},"
                    + "\"podSelector\":{\"matchLabels\":{\"app\":\"prometheus\"}}}]"),
            NetworkPolicy.class);
    assertThat(ingressRules(custom))
        .containsExactly(
            "[anywhere] -> [8081/TCP]", "[ns{team=obs} pods{app=prometheus}] -> [8080/TCP]");

    // no one named: the metrics port is closed, not open to all
    NetworkPolicy none = one(template("--set-json", "metrics.allowFrom=[]"), NetworkPolicy.class);
    assertThat(ingressRules(none)).containsExactly("[anywhere] -> [8081/TCP]");

    // a peer without a selector would be refused by the API server: the schema refuses it first
    Result emptyPeer = helm(templateArgs("--set-json", "metrics.allowFrom=[{}]"));
    assertThat(emptyPeer.exit).as("an empty peer:\n%s", emptyPeer.all()).isNotZero();

    assertThat(template("--set", "networkPolicy.ingress.enabled=false"))
        .noneMatch(o -> o instanceof NetworkPolicy);
  }

  /** Every ingress rule, as "peers -> ports". */
  private static List<String> ingressRules(NetworkPolicy np) {
    List<String> rules = new ArrayList<>();
    for (var rule : np.getSpec().getIngress()) {
      List<String> peers = new ArrayList<>();
      if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
        peers.add("anywhere");
      } else {
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          peers.add(
              (peer.getNamespaceSelector() == null
                      ? ""
                      : "ns" + peer.getNamespaceSelector().getMatchLabels())
                  + (peer.getPodSelector() == null
                      ? ""
                      : " pods" + peer.getPodSelector().getMatchLabels()));
        }
      }
      rules.add(
          peers
              + " -> "
              + rule.getPorts().stream()
                  .map(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                  .toList());
    }
    return rules;
  }

  @Test
  void egressPolicyIsOptInAndAllowsOnlyApiServerStorageAndDns() throws IOException {
    assertThat(template())
        .filteredOn(o -> o instanceof NetworkPolicy)
        .extracting(o -> o.getMetadata().getName())
        .containsExactly(FULLNAME + "-ingress");

    Result noApiServer = helm(templateArgs("--set", "networkPolicy.enabled=true"));
    assertThat(noApiServer.exit).isNotZero();
    assertThat(noApiServer.err).contains("networkPolicy.egress.apiServer.cidrs is empty");

    Path values = Files.createTempFile(ROOT.resolve("target"), "netpol", ".yaml");
    Files.writeString(
        values,
        """
        networkPolicy:
          enabled: true
          egress:
            apiServer: {cidrs: [10.0.0.10/32], ports: [6443]}
            storage:
              - {cidrs: [10.20.0.0/24], ports: [9000]}
              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: minio}}
                ports: [9000, 9443]
        """);
    try {
      List<HasMetadata> objects = template("-f", values.toString());
      NetworkPolicy np =
          objects.stream()
              .filter(o -> o instanceof NetworkPolicy && o.getMetadata().getName().equals(FULLNAME))
              .map(NetworkPolicy.class::cast)
              .findFirst()
              .orElseThrow();
      Deployment deployment = one(objects, Deployment.class);
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
      // egress only: ingress is the ingress policy's, which stays as it was
      assertThat(np.getSpec().getPolicyTypes()).containsExactly("Egress");
      assertThat(np.getSpec().getIngress()).isNullOrEmpty();
      assertThat(objects)
          .filteredOn(o -> o instanceof NetworkPolicy)
          .extracting(o -> o.getMetadata().getName())
          .containsExactlyInAnyOrder(FULLNAME, FULLNAME + "-ingress");

      // Every egress rule, as "peers -> ports".
      List<String> egress = new ArrayList<>();
      for (NetworkPolicyEgressRule rule : np.getSpec().getEgress()) {
        List<String> peers = new ArrayList<>();
        for (NetworkPolicyPeer peer : rule.getTo()) {
          if (peer.getIpBlock() != null) {
            peers.add(peer.getIpBlock().getCidr());
          } else {
            peers.add(
                "ns"
                    + peer.getNamespaceSelector().getMatchLabels()
                    + (peer.getPodSelector() == null
                        ? ""
                        : " pods" + peer.getPodSelector().getMatchLabels()));
          }
        }
        List<String> ports =
            rule.getPorts().stream()
                .map(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
                .toList();
        egress.add(peers + " -> " + ports);
      }
      assertThat(egress)
          .containsExactly(
              "[10.0.0.10/32] -> [6443/TCP]",
              "[10.20.0.0/24] -> [9000/TCP]",
              "[ns{kubernetes.io/metadata.name=minio}] -> [9000/TCP, 9443/TCP]",
              "[ns{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns}]"
                  + " -> [53/UDP, 53/TCP]");
    } finally {
      Files.deleteIfExists(values);
    }
  }

  // ------------------------------------------------------------------ CRDs

  @Test
  void chartCrdsAreTheGeneratedOnesByteForByte() throws IOException {
    Path source = ROOT.resolve("crds");
    Path copy = CHART.resolve("crds");
    List<String> names = fileNames(source);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "clusters3stores.s3.integrations.dev.yaml",
            "s3accesspolicies.s3.integrations.dev.yaml",
            "s3integrations.s3.integrations.dev.yaml",
            "s3stores.s3.integrations.dev.yaml");
    assertThat(fileNames(copy)).isEqualTo(names);
    for (String name : names) {
      assertThat(Files.readAllBytes(copy.resolve(name)))
          .as("helm/s3-integration-operator/crds/%s differs from crds/%s", name, name)
          .isEqualTo(Files.readAllBytes(source.resolve(name)));
    }

    // Helm really ships them: --include-crds renders both CRDs.
    assertThat(template("--include-crds"))
        .filteredOn(o -> o instanceof CustomResourceDefinition)
        .extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "s3integrations.s3.integrations.dev",
            "s3accesspolicies.s3.integrations.dev",
            "s3stores.s3.integrations.dev",
            "clusters3stores.s3.integrations.dev");
  }

  @Test
  void templatedCrdsAreTheCrdsDirectoryWithTheKeepPolicy() throws IOException {
    // Default: the CRDs come only from crds/ (installed once by Helm), not from templates/.
    assertThat(template()).noneMatch(o -> o instanceof CustomResourceDefinition);

    List<CustomResourceDefinition> templated =
        all(template("--set", "crds.templated=true"), CustomResourceDefinition.class);
    List<String> files = fileNames(CHART.resolve("crds"));
    assertThat(templated).hasSize(files.size());
    for (String name : files) {
      CustomResourceDefinition source;
      try (var in = Files.newInputStream(CHART.resolve("crds").resolve(name))) {
        source = Serialization.unmarshal(in, CustomResourceDefinition.class);
      }
      CustomResourceDefinition copy =
          templated.stream()
              .filter(c -> c.getMetadata().getName().equals(source.getMetadata().getName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("not templated: " + name));
      assertThat(copy.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep");
      assertThat(copy.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "Helm");
      assertThat(Serialization.asJson(copy.getSpec()))
          .as("the templated %s equals crds/%s", copy.getMetadata().getName(), name)
          .isEqualTo(Serialization.asJson(source.getSpec()));
    }
  }

  // ------------------------------------------------------------------ helpers

  static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    return all(objects, type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  static void assertOperatorServiceAccount(List<Subject> subjects, List<HasMetadata> objects) {
    ServiceAccount sa = one(objects, ServiceAccount.class);
    String podSa =
        one(objects, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(podSa).isEqualTo(sa.getMetadata().getName());
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  /** "group/resource" to the verbs granted on it, over all rules. */
  static Map<String, Set<String>> verbsByResource(List<PolicyRule> rules) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PolicyRule rule : rules) {
      assertThat(rule.getResourceNames()).as("resourceNames of %s", rule).isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          out.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    return out;
  }

  static Container operatorContainer(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("operator");
    return containers.get(0);
  }

  static EnvVar envVar(Container c, String name) {
    List<EnvVar> matches = c.getEnv().stream().filter(e -> e.getName().equals(name)).toList();
    assertThat(matches).as("env %s", name).hasSize(1);
    return matches.get(0);
  }

  /** The container's env with literal values (valueFrom entries left out); names are unique. */
  static Map<String, String> plainEnv(Container c) {
    assertThat(c.getEnv())
        .extracting(EnvVar::getName)
        .as("env names are unique")
        .doesNotHaveDuplicates();
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
      }
    }
    return env;
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static String[] templateArgs(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", NAMESPACE));
    args.addAll(Arrays.asList(extra));
    return args.toArray(String[]::new);
  }

  /** {@code helm template} with the given extra arguments, parsed into fabric8 objects. */
  static List<HasMetadata> template(String... extra) {
    return parse(helm(templateArgs(extra)), extra);
  }

  /** The same, for the release in another namespace. */
  static List<HasMetadata> templateIn(String namespace, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", namespace));
    args.addAll(Arrays.asList(extra));
    return parse(helm(args.toArray(String[]::new)), extra);
  }

  static List<HasMetadata> parse(Result r, String... extra) {
    assertThat(r.exit).as("helm template %s:\n%s", List.of(extra), r.all()).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        Serialization.yamlMapper().readerFor(JsonNode.class).readValues(r.out)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
          continue;
        }
        Object parsed = Serialization.unmarshal(doc.toString());
        assertThat(parsed).as("a Kubernetes object: %s", doc).isInstanceOf(HasMetadata.class);
        objects.add((HasMetadata) parsed);
      }
    } catch (IOException e) {
      throw new AssertionError("helm template output is not YAML:\n" + r.out, e);
    }
    assertThat(objects).as("helm template rendered nothing").isNotEmpty();
    return objects;
  }

  record Result(int exit, String out, String err) {
    String all() {
      return out + "\n--- stderr ---\n" + err;
    }
  }

  static Result helm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(helm.toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    // Keep Helm's own files in target/, away from the user's Helm configuration.
    pb.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
    pb.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
    pb.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
    pb.environment().remove("KUBECONFIG");
    try {
      Path out = Files.createTempFile(helmHome, "helm", ".out");
      Path err = Files.createTempFile(helmHome, "helm", ".err");
      try {
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("helm " + String.join(" ", args) + " did not finish in 2 min");
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running helm", e);
    }
  }

  /** Runs scripts/install-helm; a failure ends the suite with the tail of its log. */
  static Path install() {
    Path binary =
        InstallScript.run("install-helm", Duration.ofMinutes(30), "the Helm chart checks", "");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("scripts/install-helm printed " + binary + ", not a binary");
    }
    return binary;
  }
}
