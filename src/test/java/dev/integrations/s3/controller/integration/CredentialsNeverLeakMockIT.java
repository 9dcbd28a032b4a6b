package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.testing.Fixtures.adminSecret;
import static dev.integrations.s3.testing.Fixtures.managed;
import static dev.integrations.s3.testing.Fixtures.object;
import static dev.integrations.s3.testing.Fixtures.policy;
import static dev.integrations.s3.testing.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.testing.MinioServer;
import dev.integrations.s3.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
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
