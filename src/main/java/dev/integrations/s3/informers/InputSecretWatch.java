package dev.integrations.s3.informers;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the integrations that reference a Secret (admin keys, given keys, CA) when it changes, and
 * keeps nothing: a watch from "now", each event mapped through an index of references and dropped.
 * The Secret itself is read by name when the integration reconciles
 * (controller.common.InputSecrets), so the operator's memory does not grow with the Secrets of the
 * namespaces it watches (Helm releases, service-account tokens, other teams' keys), which an
 * informer would cache with their data.
 *
 * <p>Service-account tokens and Helm release Secrets, the big and frequent ones, are left out by a
 * field selector. When a watch ends with an error (410 Gone after a long disconnection), it is
 * opened again from a fresh list and every referencing integration is reconciled once, so no change
 * in the gap is lost.
 */
public final class InputSecretWatch extends AbstractEventSource<Secret, S3Integration> {
  private static final Logger LOG = LoggerFactory.getLogger(InputSecretWatch.class);
  public static final String FIELD_SELECTOR =
      "type!=kubernetes.io/service-account-token,type!=helm.sh/release.v1";
  private static final long RETRY_SECONDS = 5;
  private static final String ALL = "";

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final Function<String, Set<ResourceID>> referencing;
  private final Supplier<Set<ResourceID>> allReferencing;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "input-secret-watch");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param namespaces the watched namespaces; empty means all
   * @param referencing the integrations that reference {@code <namespace>/<name>}
   * @param allReferencing every integration that references any Secret (after a gap)
   */
  public InputSecretWatch(
      KubernetesClient client,
      Set<String> namespaces,
      Function<String, Set<ResourceID>> referencing,
      Supplier<Set<ResourceID>> allReferencing) {
    super(Secret.class, "input-secrets");
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.referencing = referencing;
    this.allReferencing = allReferencing;
  }

  @Override
  public void start() {
    super.start();
    if (namespaces.isEmpty()) {
      open(ALL);
    } else {
      namespaces.forEach(this::open);
    }
  }

  @Override
  public void stop() {
    super.stop();
    retry.shutdownNow();
    watches.values().forEach(Watch::close);
    watches.clear();
  }

  @Override
  public Set<Secret> getSecondaryResources(S3Integration primary) {
    return Set.of(); // nothing is cached: InputSecrets reads by name
  }

  @Override
  public Status getStatus() {
    int expected = namespaces.isEmpty() ? 1 : namespaces.size();
    return !isRunning() || watches.size() == expected ? Status.HEALTHY : Status.UNHEALTHY;
  }

  private void open(String namespace) {
    if (!isRunning()) {
      return;
    }
    try {
      FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> secrets =
          ALL.equals(namespace)
              ? client.secrets().inAnyNamespace()
              : client.secrets().inNamespace(namespace);
      // The collection's current version, so that the watch starts at "now" instead of replaying
      // every existing Secret as ADDED. One item is enough to learn it.
      String version =
          secrets
              .list(
                  new ListOptionsBuilder().withLimit(1L).withFieldSelector(FIELD_SELECTOR).build())
              .getMetadata()
              .getResourceVersion();
      ListOptions from =
          new ListOptionsBuilder()
              .withResourceVersion(version)
              .withFieldSelector(FIELD_SELECTOR)
              .withAllowWatchBookmarks(true)
              .build();
      watches.put(namespace, secrets.watch(from, new Trigger(namespace)));
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot watch Secrets in {} (HTTP {}); retrying in {} s",
          ALL.equals(namespace) ? "all namespaces" : "namespace " + namespace,
          e.getCode(),
          RETRY_SECONDS);
      reopenLater(namespace);
    }
  }

  private void reopenLater(String namespace) {
    if (!isRunning()) {
      return;
    }
    retry.schedule(
        () -> {
          open(namespace);
          if (watches.containsKey(namespace)) {
            allReferencing.get().forEach(this::trigger); // changes in the gap
          }
        },
        RETRY_SECONDS,
        TimeUnit.SECONDS);
  }

  private void trigger(ResourceID id) {
    if (getEventHandler() != null && isRunning()) {
      getEventHandler().handleEvent(new Event(id));
    }
  }

  private final class Trigger implements Watcher<Secret> {
    private final String namespace;

    Trigger(String namespace) {
      this.namespace = namespace;
    }

    @Override
    public void eventReceived(Action action, Secret secret) {
      if (action == Action.ADDED || action == Action.MODIFIED || action == Action.DELETED) {
        referencing
            .apply(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())
            .forEach(InputSecretWatch.this::trigger);
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      watches.remove(namespace);
      if (isRunning()) {
        LOG.info(
            "the Secret watch ended ({}); opening it again",
            cause.isHttpGone() ? "410 Gone" : "error");
        reopenLater(namespace);
      }
    }

    @Override
    public void onClose() {
      watches.remove(namespace);
    }
  }
}
