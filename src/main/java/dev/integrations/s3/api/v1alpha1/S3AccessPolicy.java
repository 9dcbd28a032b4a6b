package dev.integrations.s3.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Read-only access to S3 buckets, rendered into one policy document. */
@JsonClassDescription(
    "Read-only access to S3 buckets (and optional key prefixes), rendered into one IAM-style policy document. S3Integrations of the same namespace reference it in spec.accessPolicyRefs.")
@Categories(ApiGroup.CATEGORY)
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("s3ap")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Message",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class S3AccessPolicy extends CustomResource<S3AccessPolicySpec, S3AccessPolicyStatus>
    implements Namespaced {}
