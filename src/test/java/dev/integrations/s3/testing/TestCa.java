package dev.integrations.s3.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA made in the test, and a server certificate for 127.0.0.1 / localhost signed by it.
 */
public final class TestCa {
  public final String caPem;
  public final String serverCertPem;
  public final String serverKeyPem;

  private TestCa(String caPem, String serverCertPem, String serverKeyPem) {
    this.caPem = caPem;
    this.serverCertPem = serverCertPem;
    this.serverKeyPem = serverKeyPem;
  }

  public static TestCa create(String name) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(256, new SecureRandom());
      KeyPair ca = gen.generateKeyPair();
      KeyPair server = gen.generateKeyPair();
      Instant now = Instant.now();
      X500Name caName = new X500Name("CN=" + name + " test CA");
      X509v3CertificateBuilder caBuilder =
          new JcaX509v3CertificateBuilder(
              caName,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              caName,
              ca.getPublic());
      caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      caBuilder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ContentSigner caSigner =
          new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate());
      X509Certificate caCert =
          new JcaX509CertificateConverter().getCertificate(caBuilder.build(caSigner));

      X509v3CertificateBuilder serverBuilder =
          new JcaX509v3CertificateBuilder(
              caName,
              BigInteger.valueOf(now.toEpochMilli() + 1),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name("CN=127.0.0.1"),
              server.getPublic());
      serverBuilder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
      X509Certificate serverCert =
          new JcaX509CertificateConverter().getCertificate(serverBuilder.build(caSigner));
      return new TestCa(
          pem(caCert), pem(serverCert), pem(new JcaPKCS8Generator(server.getPrivate(), null)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the test CA: " + e, e);
    }
  }

  /** Writes public.crt and private.key as MinIO's --certs-dir expects. */
  public Path writeMinioCertsDir() throws IOException {
    Path dir = Files.createTempDirectory("minio-certs");
    Files.writeString(dir.resolve("public.crt"), serverCertPem);
    Files.writeString(dir.resolve("private.key"), serverKeyPem);
    return dir;
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }
}
