package dev.integrations.s3.controller.common;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this instance may act on the storage now. JOSDK gates only reconciles on the lease: the
 * event sources of a standby replica run too (its caches stay warm for a fast take-over). Work that
 * an event source does on its own thread (the revocation sweep) asks here first, so a standby never
 * reads or writes the storage while another instance leads.
 */
public final class Leadership {
  private final AtomicBoolean leading;

  private Leadership(boolean leading) {
    this.leading = new AtomicBoolean(leading);
  }

  /** Without leader election: the only instance, always leading. */
  public static Leadership always() {
    return new Leadership(true);
  }

  /** With leader election: not leading until the lease is taken ({@link #startedLeading}). */
  public static Leadership elected() {
    return new Leadership(false);
  }

  public void startedLeading() {
    leading.set(true);
  }

  public void stoppedLeading() {
    leading.set(false);
  }

  public boolean leading() {
    return leading.get();
  }
}
