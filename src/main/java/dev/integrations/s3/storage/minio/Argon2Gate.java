package dev.integrations.s3.storage.minio;

import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how many Argon2id derivations (the keys of add-user and add-service-account bodies) run at
 * once in this process. A permit is held for the derivation and encryption only, never across the
 * request: a slow or stalled MinIO holds none. Only {@link
 * MinioAdminClientAdapter.BodyEncryption#ARGON2ID} uses it; the default, PBKDF2, derives its key in
 * about 2 ms and under 1 MiB. minio-admin derives the body's key with Argon2id at 64 MiB of memory
 * per call: ten at once do not fit a 384 MiB heap, and a GitOps sync of a dozen integrations, or a
 * MinIO restore that re-creates every user, would crash the operator again after every restart.
 * Sized from the heap: {@code (max heap - 128 MiB) / 96 MiB}, at least one: two at the chart's 384
 * MiB heap.
 *
 * <p>Measured with OperatorUnderLoadE2E (50 new users at once, -Xmx384m): unbounded, the operator
 * dies of OutOfMemoryError within seconds; at 72 MiB per call (three at once) it survives but runs
 * a full collection every second; at 96 MiB (two) two full collections in all, and the 50 are Ready
 * as fast (the storage's own Argon2 is the other half of the cost).
 */
public final class Argon2Gate {
  private static final Logger LOG = LoggerFactory.getLogger(Argon2Gate.class);

  /**
   * Heap one call needs: 64 MiB of Argon2 blocks, live for the whole derivation, plus room for the
   * collector to move them.
   */
  static final long PER_CALL = 96L * 1024 * 1024;

  /** Heap kept for everything else (informers, HTTP, reconciles). */
  static final long RESERVED = 128L * 1024 * 1024;

  private static final Argon2Gate SHARED =
      new Argon2Gate(permitsFor(Runtime.getRuntime().maxMemory()));

  private final int permits;
  private final Semaphore semaphore;

  Argon2Gate(int permits) {
    this.permits = permits;
    this.semaphore = new Semaphore(permits, true);
  }

  /** The process's gate. */
  public static Argon2Gate shared() {
    return SHARED;
  }

  /** How many calls may run at once with this maximum heap. */
  static int permitsFor(long maxHeap) {
    return (int) Math.max(1, (maxHeap - RESERVED) / PER_CALL);
  }

  public int permits() {
    return permits;
  }

  /** Calls waiting for a permit now. */
  public int waiting() {
    return semaphore.getQueueLength();
  }

  /** Permits free now. */
  public int available() {
    return semaphore.availablePermits();
  }

  /** A derivation, which may fail with a checked exception. */
  @FunctionalInterface
  public interface Derivation<T, E extends Exception> {
    T get() throws E;
  }

  /** Runs the derivation once a permit is free. */
  public <T, E extends Exception> T run(Derivation<T, E> call) throws E {
    try {
      semaphore.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an Argon2id permit", e);
    }
    try {
      return call.get();
    } finally {
      semaphore.release();
    }
  }

  static {
    LOG.info(
        "at most {} Argon2id derivation(s) at once (64 MiB each; max heap {} MiB)",
        SHARED.permits,
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
