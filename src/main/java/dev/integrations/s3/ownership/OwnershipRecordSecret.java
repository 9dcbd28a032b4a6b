package dev.integrations.s3.ownership;

import dev.integrations.s3.naming.Names;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Ownership records as Secrets in the operator's namespace: their names, labels and content. Pure
 * (no I/O): the reconciler reads them through a label-selected informer and writes them before the
 * MinIO user is created.
 */
public final class OwnershipRecordSecret {
  /** Label of every record; the informer selects on it. */
  public static final String LABEL = "s3.integrations.dev/record";

  public static final String VALUE = "user";
  public static final String SELECTOR = LABEL + "=" + VALUE;

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "s3-integration-operator";

  public static final String INTEGRATION_ANNOTATION = "s3.integrations.dev/integration";
  public static final String UID_ANNOTATION = "s3.integrations.dev/integration-uid";
  public static final String STORE_ANNOTATION = "s3.integrations.dev/store";
  public static final String USER_ANNOTATION = "s3.integrations.dev/user";
  public static final String POLICY_ANNOTATION = "s3.integrations.dev/policy";
  public static final String KEY_ID_ANNOTATION = "s3.integrations.dev/key-id";
  public static final String KEY_ISSUED_ANNOTATION = "s3.integrations.dev/key-issued";
  public static final String PREVIOUS_KEY_ANNOTATION = "s3.integrations.dev/previous-key-id";
  public static final String PREVIOUS_UNTIL_ANNOTATION = "s3.integrations.dev/previous-valid-until";
  public static final String ROTATE_TOKEN_ANNOTATION = "s3.integrations.dev/rotated-for";
  static final String SECRET_KEY = "secretKey";
  static final String ACCESS_KEY = "accessKey";
  static final String KEY_SECRET = "keySecret";

  private OwnershipRecordSecret() {}

  /** The record's Secret name for a user on a store: deterministic, DNS-safe, 33 characters. */
  public static String name(String store, String user) {
    return "s3i-user-" + Names.sha256Hex(store + "\n" + user).substring(0, 24);
  }

  /** The Secret that holds the record. */
  public static Secret toSecret(OwnershipRecord r, String namespace) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(INTEGRATION_ANNOTATION, r.integrationNamespace() + "/" + r.integrationName());
    annotations.put(UID_ANNOTATION, r.integrationUid());
    annotations.put(STORE_ANNOTATION, r.store());
    annotations.put(USER_ANNOTATION, r.user());
    annotations.put(POLICY_ANNOTATION, r.policy());
    putIfSet(annotations, KEY_ID_ANNOTATION, r.keyId());
    putIfSet(annotations, KEY_ISSUED_ANNOTATION, r.keyIssued());
    putIfSet(annotations, PREVIOUS_KEY_ANNOTATION, r.previousKeyId());
    putIfSet(annotations, PREVIOUS_UNTIL_ANNOTATION, r.previousUntil());
    putIfSet(annotations, ROTATE_TOKEN_ANNOTATION, r.rotateToken());
    Map<String, String> data = new TreeMap<>();
    data.put(ACCESS_KEY, encode(r.user()));
    data.put(SECRET_KEY, encode(r.secretKey()));
    if (r.keySecret() != null) {
      data.put(KEY_SECRET, encode(r.keySecret()));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(r.store(), r.user()))
        .withNamespace(namespace)
        .withLabels(new TreeMap<>(Map.of(LABEL, VALUE, MANAGED_BY_LABEL, MANAGED_BY)))
        .withAnnotations(annotations)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The record a Secret holds, or empty when it is not a well-formed record. */
  public static Optional<OwnershipRecord> fromSecret(Secret s) {
    if (s == null || s.getMetadata() == null || s.getMetadata().getAnnotations() == null) {
      return Optional.empty();
    }
    Map<String, String> a = s.getMetadata().getAnnotations();
    String integration = a.get(INTEGRATION_ANNOTATION);
    String key = decode(s, SECRET_KEY);
    if (integration == null
        || !integration.contains("/")
        || a.get(UID_ANNOTATION) == null
        || a.get(STORE_ANNOTATION) == null
        || a.get(USER_ANNOTATION) == null
        || a.get(POLICY_ANNOTATION) == null
        || key == null
        || key.isEmpty()) {
      return Optional.empty();
    }
    int slash = integration.indexOf('/');
    String keyId = a.get(KEY_ID_ANNOTATION);
    String keySecret = decode(s, KEY_SECRET);
    String previous = a.get(PREVIOUS_KEY_ANNOTATION);
    Instant until = instant(a.get(PREVIOUS_UNTIL_ANNOTATION));
    if ((keyId == null) != (keySecret == null) || (previous == null) != (until == null)) {
      return Optional.empty(); // half a rotation: not a record we wrote
    }
    return Optional.of(
        new OwnershipRecord(
            a.get(UID_ANNOTATION),
            integration.substring(0, slash),
            integration.substring(slash + 1),
            a.get(STORE_ANNOTATION),
            a.get(USER_ANNOTATION),
            a.get(POLICY_ANNOTATION),
            key,
            keyId,
            keySecret,
            instant(a.get(KEY_ISSUED_ANNOTATION)),
            previous,
            until,
            a.get(ROTATE_TOKEN_ANNOTATION)));
  }

  private static void putIfSet(Map<String, String> m, String key, Object value) {
    if (value != null) {
      m.put(key, value.toString());
    }
  }

  private static Instant instant(String v) {
    try {
      return v == null ? null : Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static String encode(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(Secret s, String key) {
    String v = s.getData() == null ? null : s.getData().get(key);
    try {
      return v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
