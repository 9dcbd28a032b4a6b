package dev.integrations.s3.store;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.ReadGrant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a store allows one namespace to read: the allow rules that apply to it. A (bucket, prefix)
 * is allowed when some rule names the bucket (or a glob of it) and either limits no prefixes or
 * limits it to a prefix the asked one starts with; a whole bucket needs a rule without prefixes.
 * Pure.
 *
 * @param usable whether the namespace may use the store at all
 * @param unrestricted every bucket is allowed (an S3Store without rules)
 * @param rules the rules that apply
 */
public record StoreAccess(boolean usable, boolean unrestricted, List<AllowRule> rules) {

  /**
   * The access of a namespace with these labels. A ClusterS3Store serves namespaces its rules'
   * selectors match; an S3Store serves its own namespace, limited by its rules if it has any.
   */
  public static StoreAccess of(StoreKind kind, StoreSpec spec, Map<String, String> labels) {
    List<AllowRule> all = spec.getAllow() == null ? List.of() : spec.getAllow();
    if (kind == StoreKind.S3Store) {
      return new StoreAccess(true, all.isEmpty(), all);
    }
    List<AllowRule> matching =
        all.stream().filter(r -> LabelSelectors.matches(r.getNamespaceSelector(), labels)).toList();
    return new StoreAccess(!matching.isEmpty(), false, matching);
  }

  /** Whether reading the bucket (prefix null: the whole bucket) is allowed. */
  public boolean allows(String bucket, String prefix) {
    if (!usable) {
      return false;
    }
    if (unrestricted) {
      return true;
    }
    for (AllowRule r : rules) {
      boolean named =
          r.getBuckets() != null && r.getBuckets().stream().anyMatch(g -> Globs.matches(g, bucket));
      if (!named) {
        continue;
      }
      if (r.getPrefixes() == null || r.getPrefixes().isEmpty()) {
        return true;
      }
      if (prefix != null && r.getPrefixes().stream().anyMatch(prefix::startsWith)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the grants and the scope bucket ask for that is not allowed, as readable items ({@code
   * bucket "x"}, {@code prefix "p" of bucket "x"}), in order, without repeats.
   */
  public List<String> notAllowed(List<ReadGrant> grants, String scopeBucket) {
    Set<String> out = new LinkedHashSet<>();
    if (scopeBucket != null && !allowsSomething(scopeBucket)) {
      out.add("bucket \"" + scopeBucket + "\"");
    }
    for (ReadGrant g : grants) {
      for (BucketGrant b : g.buckets()) {
        if (b.isWholeBucket()) {
          if (!allows(b.bucket(), null)) {
            out.add("bucket \"" + b.bucket() + "\"");
          }
        } else {
          for (String p : b.prefixes()) {
            if (!allows(b.bucket(), p)) {
              out.add("prefix \"" + p + "\" of bucket \"" + b.bucket() + "\"");
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** The grants with everything not allowed taken out (empty grants dropped): fail closed. */
  public List<ReadGrant> narrow(List<ReadGrant> grants) {
    List<ReadGrant> out = new ArrayList<>();
    for (ReadGrant g : grants) {
      List<BucketGrant> kept = new ArrayList<>();
      for (BucketGrant b : g.buckets()) {
        if (b.isWholeBucket()) {
          if (allows(b.bucket(), null)) {
            kept.add(b);
          }
        } else {
          List<String> prefixes = b.prefixes().stream().filter(p -> allows(b.bucket(), p)).toList();
          if (!prefixes.isEmpty()) {
            kept.add(new BucketGrant(b.bucket(), prefixes));
          }
        }
      }
      if (!kept.isEmpty()) {
        out.add(new ReadGrant(kept, g.actions()));
      }
    }
    return out;
  }

  /**
   * Whether some rule names the bucket (a scope bucket needs that; prefixes are the grants'
   * business).
   */
  public boolean allowsSomething(String bucket) {
    if (!usable) {
      return false;
    }
    return unrestricted
        || rules.stream()
            .anyMatch(
                r ->
                    r.getBuckets() != null
                        && r.getBuckets().stream().anyMatch(g -> Globs.matches(g, bucket)));
  }
}
