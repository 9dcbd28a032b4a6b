package dev.integrations.s3.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether an object we write with server-side apply already holds what we would apply, decided
 * without {@code metadata.managedFields}: the output Secret and trust store caches drop them (at
 * 10,000 integrations they were the largest part of those caches), so JOSDK's SSA matcher, which
 * reads them, cannot be used.
 *
 * <p>It matches as SSA would for the fields we own: every data entry, label, annotation and owner
 * reference we apply must be there with our value; what others add beside them does not count. What
 * we stop applying is caught too: a data key we drop changes the config-hash annotation (a hash of
 * all the data), and any annotation under our prefix that we no longer apply is a difference. Apply
 * then removes them, as SSA removes fields a manager stops applying.
 */
public final class OwnedFields {
  public static final String OUR_PREFIX = "s3.integrations.dev/";

  private OwnedFields() {}

  public static boolean match(
      HasMetadata desired,
      HasMetadata actual,
      List<Map<String, String>> desiredData,
      List<Map<String, String>> actualData) {
    for (int i = 0; i < desiredData.size(); i++) {
      if (!contains(actualData.get(i), desiredData.get(i))) {
        return false;
      }
    }
    ObjectMeta d = desired.getMetadata();
    ObjectMeta a = actual.getMetadata();
    if (!contains(a.getLabels(), d.getLabels())
        || !contains(a.getAnnotations(), d.getAnnotations())) {
      return false;
    }
    if (a.getAnnotations() != null) {
      for (String key : a.getAnnotations().keySet()) {
        if (key.startsWith(OUR_PREFIX)
            && (d.getAnnotations() == null || !d.getAnnotations().containsKey(key))) {
          return false;
        }
      }
    }
    List<OwnerReference> owners =
        a.getOwnerReferences() == null ? List.of() : a.getOwnerReferences();
    if (d.getOwnerReferences() != null) {
      for (OwnerReference wanted : d.getOwnerReferences()) {
        if (owners.stream().noneMatch(o -> sameOwner(o, wanted))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Every entry of {@code wanted} is in {@code map} with the same value. */
  private static boolean contains(Map<String, String> map, Map<String, String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return true;
    }
    if (map == null) {
      return false;
    }
    for (Map.Entry<String, String> e : wanted.entrySet()) {
      if (!Objects.equals(map.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameOwner(OwnerReference a, OwnerReference b) {
    return Objects.equals(a.getUid(), b.getUid())
        && Objects.equals(a.getKind(), b.getKind())
        && Objects.equals(a.getName(), b.getName())
        && Objects.equals(a.getApiVersion(), b.getApiVersion())
        && Objects.equals(a.getController(), b.getController())
        && Objects.equals(a.getBlockOwnerDeletion(), b.getBlockOwnerDeletion());
  }
}
