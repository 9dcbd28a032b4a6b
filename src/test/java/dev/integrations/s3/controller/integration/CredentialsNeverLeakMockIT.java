package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static dev.integrations.s3.testing.Fixtures.validateOnly;
import static dev.integrations.s3.testing.Fixtures.validateOnlyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.secret.SecretKeys;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.minio.admin.UserInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A full create / verify / fail / recover / delete cycle with every log line and Event captured:
 * neither the generated secret key nor any admin secret appears in logs, Events, status or
 * exception messages.
 */
@EnableKubernetesMockClient(crud = true)
class CredentialsNeverLeakMockIT {
  static KubernetesClient client;
  static OperatorHarness op;
  static MinioServer minio;
  static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  @BeforeAll
  static void start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger rootLogger = context.getLogger(Logger.ROOT_LOGGER_NAME);
    // The production levels (logback.xml), plus DEBUG for our code and the SDK's reconcile loop.
    context.getLogger("dev.integrations").setLevel(ch.qos.logback.classic.Level.DEBUG);
    context.getLogger("io.javaoperatorsdk").setLevel(ch.qos.logback.classic.Level.DEBUG);
    LOGS.start();
    rootLogger.addAppender(LOGS);
    minio = MinioServer.shared();
    op = new OperatorHarness(client, false);
  }

  @AfterAll
  static void stop() {
    op.close();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(LOGS);
    context.getLogger("dev.integrations").setLevel(null);
    context.getLogger("io.javaoperatorsdk").setLevel(ch.qos.logback.classic.Level.INFO);
  }

  /**
   * Issue 21, item 4: validate-only mode reads the access key under any key the tenant names. With
   * the two keys swapped, or {@code accessKeyKey} naming a password, a token or any other value of
   * the Secret, that value must land in no status field, no Event and no log line; an access key
   * that authenticates and looks like one is still shown.
   */
  @Test
  void aValueNamedAsTheAccessKeyIsShownNowhereUnlessItIsAnAuthenticatedAccessKey()
      throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    client.resource(validateOnlyStore(ns, "storage", minio.host(), minio.port())).create();
    String bucket = "echo-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "a");
    String user = "cust" + MinioServer.randomSuffix();
    // a secret key like AWS's and MinIO's: 40 characters of base64
    String secret =
        "wJalr/" + MinioServer.randomAlnum(16) + "+" + SecretKeys.generate().substring(0, 17);
    String policyName = "hand-" + user;
    minio
        .rootAdmin()
        .addCannedPolicy(
            policyName,
            PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(bucket, null)), null)));
    minio.rootAdmin().addUser(user, UserInfo.Status.ENABLED, secret, null, null);
    minio.rootAdmin().setPolicy(user, false, policyName);
    String password = "db pass/" + MinioServer.randomAlnum(12) + "+x";
    String token = SecretKeys.generate(); // 40 letters and digits, like the operator's secret keys
    String pin = "Pin" + MinioServer.randomAlnum(6); // a short one of an access key's shape
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace(ns)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "accessKey", user,
                        "secretKey", secret,
                        "password", password,
                        "token", token,
                        "pin", pin))
                .build())
        .create();
    Map<String, String> accessKeyKeys =
        Map.of("swapped", "secretKey", "password", "password", "token", "token", "pin", "pin");
    accessKeyKeys.forEach(
        (name, accessKeyKey) -> {
          // a bucket of its own: one scope per bucket and namespace
          S3Integration i = validateOnly(ns, name, "storage", "creds", bucket + "-" + name);
          i.getSpec().getCredentials().getSecretRef().setAccessKeyKey(accessKeyKey);
          if (name.equals("swapped")) {
            i.getSpec().getCredentials().getSecretRef().setSecretKeyKey("accessKey");
          }
          client.resource(i).create();
        });
    client.resource(validateOnly(ns, "control", "storage", "creds", bucket)).create();

    S3Integration control = op.awaitReady(ns, "control", "True", "Ready");
    assertThat(control.getStatus().getAccessKeyId())
        .as("an access key that authenticates is shown")
        .isEqualTo(user);
    List<String> statuses = new ArrayList<>();
    statuses.add(Serialization.asJson(control));
    for (String name : accessKeyKeys.keySet()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  op.condition(ns, name, "CredentialsReady")
                      .map(c -> "False".equals(c.getStatus()))
                      .orElse(false));
      S3Integration i = op.awaitReady(ns, name, "False", null);
      assertThat(i.getStatus().getAccessKeyId()).as("%s: status.accessKeyId", name).isNull();
      Condition creds = op.condition(ns, name, "CredentialsReady").orElseThrow();
      if ("CredentialsRejected".equals(creds.getReason())) {
        // precise without the value: which Secret and which keys
        assertThat(creds.getMessage())
            .as("%s: the rejection names the Secret and its keys", name)
            .contains("Secret \"creds\"", "\"" + accessKeyKeys.get(name) + "\"");
      }
      statuses.add(Serialization.asJson(i));
    }
    assertThat(op.condition(ns, "pin", "CredentialsReady").orElseThrow().getReason())
        .isEqualTo("CredentialsRejected");

    List<String> logText = logText();
    List<String> events =
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .map(Event::getMessage)
            .toList();
    assertThat(events).as("Events of the rejections").isNotEmpty();
    // Counted, not matched with AssertJ's string assertions: a failure must not print the values.
    Map<String, String> values =
        Map.of(
            "the secret key (swapped in as the access key)", secret,
            "the password", password,
            "the token", token,
            "the pin", pin);
    values.forEach(
        (what, value) -> {
          assertThat(logText.stream().filter(l -> l != null && l.contains(value)).count())
              .as("log lines containing %s", what)
              .isZero();
          assertThat(events.stream().filter(m -> m != null && m.contains(value)).count())
              .as("Events containing %s", what)
              .isZero();
          assertThat(statuses.stream().filter(j -> j.contains(value)).count())
              .as("statuses containing %s", what)
              .isZero();
        });
  }

  private static List<String> logText() {
    List<String> logText = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(LOGS.list)) {
      logText.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        logText.add(t.getClassName() + ": " + t.getMessage());
        for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
          logText.add(s.getSTEAsString());
        }
      }
    }
    return logText;
  }

  @Test
  void noSecretAppearsAnywhereAUserOrAttackerCouldRead() throws Exception {
    String ns = "ns-" + MinioServer.randomSuffix();
    String bucket = "leak-" + MinioServer.randomSuffix();
    object(minio.rootS3(), bucket, "a.txt", "a");
    String wrongAdminSecret = "WrongAdminSecret" + MinioServer.randomAlnum(16);
    client.resource(policy(ns, "read", bucket)).create();
    // First with a wrong admin secret (errors are where secrets tend to leak), then the right one.
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), wrongAdminSecret)).create();
    client.resource(store(ns, "minio", minio.host(), minio.port(), "minio-admin")).create();
    client.resource(managed(ns, "viz", "minio", "read")).create();
    op.awaitReady(ns, "viz", "False", "AdminCredentialsInvalid");
    client.resource(adminSecret(ns, "minio-admin", minio.accessKey(), minio.secretKey())).update();
    S3Integration ready = op.awaitReady(ns, "viz", "True", "Ready");
    String issued = op.secretValue(ns, "viz-s3", "AWS_SECRET_ACCESS_KEY");
    assertThat(issued).isNotBlank();
    String statusJson = Serialization.asJson(ready);

    client.resources(S3Integration.class).inNamespace(ns).withName("viz").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> op.integration(ns, "viz") == null);

    List<String> logText = logText();
    List<String> events =
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .map(Event::getMessage)
            .toList();

    assertThat(logText).as("captured log lines").hasSizeGreaterThan(5);
    assertThat(events).as("events of the cycle").isNotEmpty();
    // Counted, not matched with AssertJ's string assertions: a failure must not print the secrets.
    Map<String, String> secrets =
        Map.of(
            "the issued secret key", issued,
            "the admin secret key", minio.secretKey(),
            "the wrong admin secret key", wrongAdminSecret);
    secrets.forEach(
        (what, secret) -> {
          assertThat(logText.stream().filter(l -> l != null && l.contains(secret)).count())
              .as("log lines containing %s", what)
              .isZero();
          assertThat(events.stream().filter(m -> m != null && m.contains(secret)).count())
              .as("Events containing %s", what)
              .isZero();
          assertThat(statusJson.contains(secret)).as("status contains %s", what).isFalse();
        });
  }
}
