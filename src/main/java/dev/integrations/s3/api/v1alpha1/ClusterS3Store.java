package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A platform-owned storage connection: endpoint, admin keys (in the operator's namespace) and which
 * namespaces may read which buckets.
 */
@JsonClassDescription(
    "A platform-owned, cluster-scoped S3-compatible storage connection: endpoint, TLS, admin keys (a Secret in the operator's namespace) and which namespaces may use which buckets.")
@Categories(ApiGroup.CATEGORY)
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("cs3s")
@ValidationRule(
    fieldPath = ".spec.allow",
    value = "!has(self.spec.allow) || self.spec.allow.all(r, has(r.namespaceSelector))",
    message =
        "every allow rule of a ClusterS3Store needs a namespaceSelector ({} for every namespace)")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Endpoint",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.endpointURL")
@AdditionalPrinterColumn(
    name = "Integrations",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.integrations")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Message",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ClusterS3Store extends CustomResource<StoreSpec, StoreStatus> {}
