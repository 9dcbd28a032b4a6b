package dev.integrations.s3.store;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The operator's own check of a store's spec, behind the schema's. Pure. */
public final class StoreSpecs {
  private static final Pattern ENDPOINT = Pattern.compile(ApiGroup.ENDPOINT_PATTERN);
  private static final Pattern PREFIX = Pattern.compile(ApiGroup.USER_PREFIX_PATTERN);
  private static final Pattern GLOB = Pattern.compile(ApiGroup.BUCKET_GLOB_PATTERN);

  private StoreSpecs() {}

  /**
   * What is allowed but probably not meant: an allow rule's key prefix without a trailing {@code /}
   * is a plain string prefix, so {@code team-a} also allows {@code team-ab/...}. The store works;
   * its Ready message says so.
   */
  public static List<String> warnings(StoreSpec spec) {
    List<String> warnings = new ArrayList<>();
    if (spec == null || spec.getAllow() == null) {
      return warnings;
    }
    for (int i = 0; i < spec.getAllow().size(); i++) {
      AllowRule rule = spec.getAllow().get(i);
      if (rule == null || rule.getPrefixes() == null) {
        continue;
      }
      for (String prefix : rule.getPrefixes()) {
        if (prefix != null && !prefix.isEmpty() && !prefix.endsWith("/")) {
          String shown = prefix.length() > 64 ? prefix.substring(0, 64) + "..." : prefix;
          warnings.add(
              "allow["
                  + i
                  + "] prefix \""
                  + shown
                  + "\" has no trailing \"/\": it also allows keys under \""
                  + shown
                  + "x/\"");
        }
      }
    }
    return warnings;
  }

  /** Every problem of the spec, each naming the value; empty when it is usable. */
  public static List<String> problems(StoreKind kind, StoreSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      return List.of("spec is missing");
    }
    if (spec.getEndpoint() == null || !ENDPOINT.matcher(spec.getEndpoint()).matches()) {
      problems.add(
          "endpoint \""
              + spec.getEndpoint()
              + "\" must be a host name or IP address without scheme, port or path");
    }
    if (spec.getPort() != null && (spec.getPort() < 1 || spec.getPort() > 65535)) {
      problems.add("port " + spec.getPort() + " must be between 1 and 65535");
    }
    if (spec.getAdmin() != null) {
      if (spec.getAdmin().getSecretRef() == null
          || spec.getAdmin().getSecretRef().getName() == null) {
        problems.add("admin.secretRef.name is required");
      }
      String prefix = spec.getAdmin().getUserPrefix();
      if (prefix != null && (prefix.length() > 32 || !PREFIX.matcher(prefix).matches())) {
        problems.add(
            "admin.userPrefix \"" + prefix + "\" may hold at most 32 letters, digits and . _ @ -");
      }
    }
    for (AllowRule r : spec.getAllow() == null ? List.<AllowRule>of() : spec.getAllow()) {
      if (kind == StoreKind.ClusterS3Store && r.getNamespaceSelector() == null) {
        problems.add("every allow rule of a ClusterS3Store needs a namespaceSelector");
      }
      if (kind == StoreKind.S3Store && r.getNamespaceSelector() != null) {
        problems.add("an S3Store serves only its own namespace: leave namespaceSelector out");
      }
      if (r.getBuckets() == null || r.getBuckets().isEmpty()) {
        problems.add("every allow rule needs buckets");
      } else {
        r.getBuckets().stream()
            .filter(g -> g == null || !GLOB.matcher(g).matches())
            .forEach(g -> problems.add("bucket glob \"" + g + "\" is not a bucket name or glob"));
      }
    }
    return problems;
  }
}
