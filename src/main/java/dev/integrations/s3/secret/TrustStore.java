package dev.integrations.s3.secret;

import dev.integrations.s3.naming.Names;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM trust store for a private CA: a PKCS12 file of the CA bundle's certificates, in a
 * ConfigMap beside the output Secret.
 *
 * <p>Not in the Secret: consumers load the Secret with {@code envFrom}, and since Kubernetes 1.32
 * every key becomes an environment variable, {@code truststore.p12} too. A PKCS12 file holds NUL
 * bytes, and a container with a NUL in its environment does not start ({@code setenv: invalid
 * argument}, kubernetes/kubernetes#89906). Certificates are public, so a ConfigMap is the right
 * place; a projected volume puts both at the one mount path (docs/consumers.md).
 *
 * <p>The file is the same bytes for the same certificates (no random salt: certificates are not
 * encrypted and there is no MAC, which a trust store of public certificates does not need), so an
 * unchanged CA writes nothing. A JVM reads it without a password.
 */
public final class TrustStore {
  /** The file name in the mount. */
  public static final String FILE = "truststore.p12";

  static {
    // Read by the JDK's PKCS12 store at each store(): plain certificates, no MAC. Nothing else in
    // the operator writes PKCS12 files.
    Security.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
    Security.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
  }

  private TrustStore() {}

  /** The ConfigMap's name for an output Secret's name. */
  public static String configMapName(String secretName) {
    return Names.bounded(secretName, "-truststore", 253);
  }

  /**
   * The PKCS12 bytes of every certificate in the bundle, aliases {@code ca-0}, {@code ca-1}, ...
   *
   * @throws IllegalArgumentException when the bundle holds no certificate or cannot be parsed
   */
  public static byte[] pkcs12(String caPem) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("the CA bundle holds no certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, new char[0]);
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("the CA bundle cannot be made a trust store: " + e, e);
    }
  }

  /**
   * The desired ConfigMap, labelled and owned like the output Secret.
   *
   * @param owner the S3Integration
   * @param secretName the output Secret it goes with
   * @param caPem the CA bundle
   */
  public static ConfigMap build(HasMetadata owner, String secretName, String caPem) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ResolvedConfigSecret.MANAGED_BY_LABEL, ResolvedConfigSecret.MANAGED_BY);
    labels.put(
        ResolvedConfigSecret.INTEGRATION_LABEL, Names.labelValue(owner.getMetadata().getName()));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(configMapName(secretName))
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(ResolvedConfigSecret.ownerReference(owner))
        .endMetadata()
        .withBinaryData(Map.of(FILE, Base64.getEncoder().encodeToString(pkcs12(caPem))))
        .build();
  }
}
