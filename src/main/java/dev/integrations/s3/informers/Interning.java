package dev.integrations.s3.informers;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One copy of the strings that thousands of cached objects repeat. Every informer read brings its
 * own copy of each string: with 10,000 integrations the caches held 10,000 copies of each
 * namespace, condition type, status and reason, label and data key, and of the endpoint, region and
 * config file of every output Secret of one store ({@code scripts/bench}, heap dump at 2,000:
 * 311,787 strings, 61,873 of them distinct). Only values from small sets are interned: names, uids,
 * timestamps, messages and anything secret are left as they are.
 */
public final class Interning {
  /** Output Secret values that are never shared, or secret: not put into the string table. */
  private static final Set<String> OWN_VALUES =
      Set.of(
          ResolvedConfigSecret.ACCESS_KEY_ID,
          ResolvedConfigSecret.SECRET_ACCESS_KEY,
          ResolvedConfigSecret.INTEGRATION_JSON);

  /** Labels whose values come from a small set. */
  private static final Set<String> SHARED_LABEL_VALUES =
      Set.of(ResolvedConfigSecret.MANAGED_BY_LABEL, ResolvedConfigSecret.SCOPE_LABEL);

  private Interning() {}

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }

  public static void metadata(HasMetadata object) {
    ObjectMeta m = object.getMetadata();
    if (m == null) {
      return;
    }
    m.setNamespace(intern(m.getNamespace()));
    m.setLabels(interned(m.getLabels(), SHARED_LABEL_VALUES::contains));
    m.setAnnotations(interned(m.getAnnotations(), key -> false));
    if (m.getFinalizers() != null) {
      m.getFinalizers().replaceAll(Interning::intern);
    }
    if (m.getOwnerReferences() != null) {
      for (OwnerReference o : m.getOwnerReferences()) {
        o.setApiVersion(intern(o.getApiVersion()));
        o.setKind(intern(o.getKind()));
      }
    }
  }

  /** A copy of {@code map} with interned keys, and interned values where {@code shared} says. */
  private static Map<String, String> interned(Map<String, String> map, Predicate<String> shared) {
    if (map == null || map.isEmpty()) {
      return map;
    }
    Map<String, String> out = new LinkedHashMap<>(map.size() * 4 / 3 + 1);
    map.forEach((k, v) -> out.put(k.intern(), shared.test(k) ? intern(v) : v));
    return out;
  }

  public static void integration(S3Integration i) {
    metadata(i);
    if (i.getSpec() != null && i.getSpec().getStoreRef() != null) {
      i.getSpec().getStoreRef().setName(intern(i.getSpec().getStoreRef().getName()));
    }
    S3IntegrationStatus s = i.getStatus();
    if (s == null) {
      return;
    }
    s.setStore(intern(s.getStore()));
    s.setEndpointURL(intern(s.getEndpointURL()));
    s.setScope(intern(s.getScope()));
    if (s.getConditions() != null) {
      for (Condition c : s.getConditions()) {
        c.setType(intern(c.getType()));
        c.setStatus(intern(c.getStatus()));
        c.setReason(intern(c.getReason()));
      }
    }
  }

  public static void secret(Secret secret) {
    metadata(secret);
    secret.setType(intern(secret.getType()));
    secret.setData(interned(secret.getData(), key -> !OWN_VALUES.contains(key)));
  }
}
