package dev.integrations.s3.controller.common;

import dev.integrations.s3.api.v1alpha1.CaSecretRef;
import dev.integrations.s3.api.v1alpha1.KeyPairSecretRef;
import dev.integrations.s3.informers.InputSecretWatch;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The Secrets an integration is pointed at (admin or given keys, a CA bundle), read by name when a
 * reconcile needs them and never cached: the operator holds no Secret it did not write. {@link
 * InputSecretWatch} tells it when one changes.
 */
public final class InputSecrets {
  /** An access key and its secret key; {@link #toString()} never shows the secret. */
  public record KeyPair(String accessKey, String secretKey) {
    @Override
    public String toString() {
      // the access key only with an access key's shape: it may be any value of the Secret
      return "KeyPair[accessKey="
          + dev.integrations.s3.secret.AccessKeys.shown(accessKey).orElse("<not shown>")
          + ", secretKey=<redacted>]";
    }
  }

  private final KubernetesClient client;

  public InputSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The key pair in the referenced Secret.
   *
   * @param what "admin" or "credentials", for messages
   * @throws StepFailure SecretNotFound when the Secret or one of its keys is missing or empty
   */
  public KeyPair keyPair(String namespace, KeyPairSecretRef ref, String what) {
    return keyPair(get(namespace, ref.getName()), ref, what);
  }

  /**
   * The PEM bundle in the referenced Secret.
   *
   * @throws StepFailure SecretNotFound when the Secret or its key is missing or empty
   */
  public String caPem(String namespace, CaSecretRef ref) {
    return caPem(get(namespace, ref.getName()), ref);
  }

  private Secret get(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  public static KeyPair keyPair(Secret s, KeyPairSecretRef ref, String what) {
    if (s == null) {
      throw notFound(what + " Secret \"" + ref.getName() + "\" not found");
    }
    String akKey = ref.getAccessKeyKey() == null ? "accessKey" : ref.getAccessKeyKey();
    String skKey = ref.getSecretKeyKey() == null ? "secretKey" : ref.getSecretKeyKey();
    String ak = ResolvedConfigSecret.value(s, akKey).map(String::trim).orElse("");
    String sk = ResolvedConfigSecret.value(s, skKey).map(String::trim).orElse("");
    List<String> missing = new ArrayList<>();
    if (ak.isEmpty()) {
      missing.add("\"" + akKey + "\"");
    }
    if (sk.isEmpty()) {
      missing.add("\"" + skKey + "\"");
    }
    if (!missing.isEmpty()) {
      throw notFound(
          what
              + " Secret \""
              + ref.getName()
              + "\" has no (or an empty) key "
              + String.join(" and ", missing));
    }
    return new KeyPair(ak, sk);
  }

  public static String caPem(Secret s, CaSecretRef ref) {
    String key = ref.getKey() == null ? "ca.crt" : ref.getKey();
    if (s == null) {
      throw notFound("CA Secret \"" + ref.getName() + "\" (tls.caSecretRef) not found");
    }
    return ResolvedConfigSecret.value(s, key)
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () -> notFound("CA Secret \"" + ref.getName() + "\" has no key \"" + key + "\""));
  }

  private static StepFailure notFound(String message) {
    return StepFailure.permanent(
        ConditionTypes.CREDENTIALS_READY, Reasons.SECRET_NOT_FOUND, message);
  }
}
