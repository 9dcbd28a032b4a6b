package dev.integrations.s3.controller.common;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The reconcile threads that work on tenants' own stores may take: S3Store checks and reconciles of
 * integrations on an S3Store, whose endpoint a tenant chose and may make slow. All controllers
 * share one pool of reconcile threads (RECONCILE_THREADS, 10 by default), so without a bound a few
 * slow "S3" servers hold every thread and the platform's stores wait (issue 21, item 6).
 *
 * <p>Two limits, and a turn order. A namespace holds at most {@link #PER_NAMESPACE} permits, shared
 * by its store checks and its integrations; all namespaces together hold at most half of the
 * reconcile threads (at least 1), so platform-store work always finds threads however many
 * namespaces have slow stores. Work that gets no permit does not wait on a thread: its caller
 * reschedules it ({@link #retryDelay()}, about 2 s).
 *
 * <p>Fairness: a namespace refused because all tenants' permits are taken gets a ticket, in a
 * first-in first-out queue of namespaces. When permits free up, they go to the namespaces at the
 * head of the queue: a namespace may take a permit only when fewer queued namespaces are ahead of
 * it than there are free permits (one not queued is behind them all). Taking a permit spends the
 * namespace's ticket; if it still has waiters, their next refusal queues it again, at the back. So
 * free permits go round the waiting namespaces one at a time, and a namespace with 50 waiting
 * integrations gets the same turns as one with 1, instead of 50 chances in the retry lottery.
 * Within a namespace, its own waiters still take turns by luck: that is the tenant's own queue.
 *
 * <p>Memory: a namespace is held only while it uses a permit, or while its ticket is fresh. A
 * waiter asks again every 2 to 3 s and so renews its ticket; a ticket not renewed for {@link
 * #TICKET_TTL} (its waiters are gone: deleted, or moved to another store) is dropped, so that it
 * keeps no turn from anyone. Nothing grows with the namespaces ever seen.
 */
public final class TenantBulkhead {
  /** Permits of one namespace: its store checks and its integrations on its S3Stores together. */
  public static final int PER_NAMESPACE = 2;

  /** When work refused a permit asks again (plus up to 1 s of jitter). */
  public static final Duration RETRY = Duration.ofSeconds(2);

  /** A ticket not renewed for this long is dropped: several retries of its waiters missed. */
  static final Duration TICKET_TTL = Duration.ofSeconds(10);

  private final int perNamespace;
  private final int global;
  private final LongSupplier nanoTime;

  /** Permits in use by namespace; a namespace using none has no entry. */
  private final Map<String, Integer> inUse = new HashMap<>();

  /** Namespaces refused for the global cap, in order of their ticket: when each last asked. */
  private final LinkedHashMap<String, Long> queue = new LinkedHashMap<>();

  private int used;

  TenantBulkhead(int perNamespace, int global, LongSupplier nanoTime) {
    if (perNamespace < 1 || global < 1) {
      throw new IllegalArgumentException("permits must be at least 1");
    }
    this.perNamespace = perNamespace;
    this.global = global;
    this.nanoTime = nanoTime;
  }

  /** {@link #PER_NAMESPACE} per namespace, half of the reconcile threads (at least 1) in all. */
  public static TenantBulkhead forThreads(int reconcileThreads) {
    return new TenantBulkhead(PER_NAMESPACE, globalCap(reconcileThreads), System::nanoTime);
  }

  /** The permits of all tenants together: half of the reconcile threads, at least 1. */
  public static int globalCap(int reconcileThreads) {
    return Math.max(1, reconcileThreads / 2);
  }

  /** When to ask again after a refusal: {@link #RETRY} plus up to 1 s of jitter. */
  public static Duration retryDelay() {
    return RETRY.plusMillis(ThreadLocalRandom.current().nextLong(1000));
  }

  /**
   * A permit for work on this namespace's own store, or empty when it is not this namespace's turn:
   * its own permits are taken, or all tenants' are, or other namespaces wait before it. Close the
   * permit when the work ends, however it ends.
   */
  public synchronized Optional<Permit> tryAcquire(String namespace) {
    long now = nanoTime.getAsLong();
    dropStaleTickets(now);
    if (inUse.getOrDefault(namespace, 0) >= perNamespace) {
      return Optional.empty(); // its own limit: a turn among its own waiters, no ticket
    }
    if (ahead(namespace) >= global - used) {
      queue.put(namespace, now); // a new ticket at the back, or the old one renewed in place
      return Optional.empty();
    }
    queue.remove(namespace);
    inUse.merge(namespace, 1, Integer::sum);
    used++;
    return Optional.of(new Permit(namespace));
  }

  /** How many queued namespaces are before this one (all of them when it is not queued). */
  private int ahead(String namespace) {
    int i = 0;
    for (String queued : queue.keySet()) {
      if (queued.equals(namespace)) {
        return i;
      }
      i++;
    }
    return i;
  }

  private void dropStaleTickets(long now) {
    long ttl = TICKET_TTL.toNanos();
    for (Iterator<Long> it = queue.values().iterator(); it.hasNext(); ) {
      if (now - it.next() > ttl) {
        it.remove();
      }
    }
  }

  private synchronized void release(String namespace) {
    inUse.computeIfPresent(namespace, (ns, n) -> n == 1 ? null : n - 1);
    used--;
  }

  /** Permits in use by this namespace. */
  synchronized int inUse(String namespace) {
    return inUse.getOrDefault(namespace, 0);
  }

  /** Permits in use by all namespaces. */
  synchronized int used() {
    return used;
  }

  /** Namespaces held in memory: those using a permit, and those with a ticket. */
  synchronized int namespacesHeld() {
    Set<String> all = new HashSet<>(inUse.keySet());
    all.addAll(queue.keySet());
    return all.size();
  }

  /** The queued namespaces, first first. */
  synchronized List<String> queue() {
    return List.copyOf(queue.keySet());
  }

  /** A permit; closing it again does nothing. */
  public final class Permit implements AutoCloseable {
    private final String namespace;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(String namespace) {
      this.namespace = namespace;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(namespace);
      }
    }
  }
}
