package dev.integrations.s3.testing;

import static org.awaitility.Awaitility.await;

import dev.integrations.s3.OperatorFactory;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.storage.minio.MinioAdminClientAdapter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The production operator, on a given API server client, talking to the real MinIO through a
 * counting wrapper. Start one per test class; {@link #restart()} simulates a process restart.
 */
public final class OperatorHarness implements AutoCloseable {
  public final KubernetesClient client;
  public final CountingMinioAdmin minioAdmin =
      new CountingMinioAdmin(MinioAdminClientAdapter::connect);

  /** The operator's metrics, as /metrics would show them. */
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** The production settings, in the tests' operator namespace. */
  public static final OperatorConfig CONFIG =
      OperatorConfig.defaults().withOperatorNamespace(Fixtures.OPERATOR_NAMESPACE);

  private final boolean ssa;
  private final OperatorConfig config;
  private Operator operator;

  public OperatorHarness(KubernetesClient client, boolean ssa) {
    this(client, ssa, CONFIG);
  }

  /** With other settings (e.g. a consumer mount path of the test's own). */
  public OperatorHarness(KubernetesClient client, boolean ssa, OperatorConfig config) {
    this.client = client;
    this.ssa = ssa;
    this.config = config;
    start();
  }

  private void start() {
    if (client.namespaces().withName(Fixtures.OPERATOR_NAMESPACE).get() == null) {
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(Fixtures.OPERATOR_NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
    }
    operator = OperatorFactory.create(client, config, registry, Clock.systemUTC(), minioAdmin, ssa);
    operator.start();
  }

  /**
   * Stops the operator and starts a new one: nothing survives but what is in Kubernetes and MinIO.
   */
  public void restart() {
    operator.stop();
    start();
  }

  @Override
  public void close() {
    operator.stop();
  }

  /** How many integrations the integration controller's cache holds (each once, if correct). */
  public long cachedIntegrations() {
    for (RegisteredController<?> rc : operator.getRegisteredControllers()) {
      Controller<?> c = (Controller<?>) rc;
      if (c.getConfiguration().getResourceClass() == S3Integration.class) {
        return c.getEventSourceManager().getControllerEventSource().list().count();
      }
    }
    throw new IllegalStateException("no S3Integration controller");
  }

  /**
   * How many Secrets the operator's informers hold, over every controller and every informer of
   * Secrets: what grows with the Secrets of the watched namespaces if the operator caches them.
   */
  public long cachedSecrets() {
    long n = 0;
    for (RegisteredController<?> rc : operator.getRegisteredControllers()) {
      for (EventSource<?, ?> es :
          ((Controller<?>) rc).getEventSourceManager().getEventSourcesFor(Secret.class)) {
        if (es instanceof InformerEventSource<?, ?> informer) {
          n += informer.list().count();
        }
      }
    }
    return n;
  }

  public S3Integration integration(String ns, String name) {
    return client.resources(S3Integration.class).inNamespace(ns).withName(name).get();
  }

  public Optional<Condition> condition(String ns, String name, String type) {
    S3Integration i = integration(ns, name);
    if (i == null || i.getStatus() == null || i.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return i.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Waits until Ready has this status and reason for the current generation; returns the resource.
   */
  public S3Integration awaitReady(String ns, String name, String status, String reason) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              S3Integration i = integration(ns, name);
              Optional<Condition> c =
                  i == null || i.getStatus() == null
                      ? Optional.empty()
                      : i.getStatus().getConditions().stream()
                          .filter(x -> "Ready".equals(x.getType()))
                          .findFirst();
              return i != null
                  && c.isPresent()
                  && status.equals(c.get().getStatus())
                  && (reason == null || reason.equals(c.get().getReason()))
                  && i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration());
            });
    return integration(ns, name);
  }

  public Secret secret(String ns, String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  public String secretValue(String ns, String name, String key) {
    return ResolvedConfigSecret.value(secret(ns, name), key).orElse(null);
  }

  /**
   * Changes an annotation on a Secret, which makes every integration that references it reconcile.
   */
  public void touch(String ns, String secretName, String value) {
    client
        .secrets()
        .inNamespace(ns)
        .withName(secretName)
        .edit(
            s -> {
              s.getMetadata()
                  .setAnnotations(
                      new java.util.HashMap<>(
                          s.getMetadata().getAnnotations() == null
                              ? java.util.Map.of()
                              : s.getMetadata().getAnnotations()));
              s.getMetadata().getAnnotations().put("test/touch", value);
              return s;
            });
  }
}
