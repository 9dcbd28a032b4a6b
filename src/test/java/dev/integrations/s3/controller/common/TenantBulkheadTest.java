package dev.integrations.s3.controller.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantBulkheadTest {
  final AtomicLong now = new AtomicLong();

  /** 2 per namespace, 3 in all. */
  final TenantBulkhead bulkhead = new TenantBulkhead(2, 3, now::get);

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  TenantBulkhead.Permit take(String ns) {
    Optional<TenantBulkhead.Permit> p = bulkhead.tryAcquire(ns);
    assertThat(p).as("a permit for " + ns).isPresent();
    return p.get();
  }

  @Test
  void aNamespaceGetsTwoPermitsAtATime() {
    TenantBulkhead.Permit a1 = take("a");
    take("a");
    assertThat(bulkhead.tryAcquire("a")).isEmpty();
    assertThat(bulkhead.queue()).as("its own limit queues nothing").isEmpty();
    a1.close();
    assertThat(bulkhead.tryAcquire("a")).isPresent();
  }

  @Test
  void allNamespacesTogetherGetTheGlobalCap() {
    take("a");
    take("b");
    take("c");
    assertThat(bulkhead.used()).isEqualTo(3);
    assertThat(bulkhead.tryAcquire("d")).isEmpty();
    assertThat(bulkhead.tryAcquire("a"))
        .as("a has one permit of its two, but none is free")
        .isEmpty();
    assertThat(bulkhead.queue()).containsExactly("d", "a");
  }

  @Test
  void theGlobalCapIsHalfOfTheReconcileThreadsAtLeastOne() {
    assertThat(TenantBulkhead.globalCap(10)).isEqualTo(5);
    assertThat(TenantBulkhead.globalCap(3)).isEqualTo(1);
    assertThat(TenantBulkhead.globalCap(1)).isEqualTo(1);
    TenantBulkhead ten = TenantBulkhead.forThreads(10);
    List<Optional<TenantBulkhead.Permit>> got = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      got.add(ten.tryAcquire("ns-" + i));
    }
    assertThat(got.stream().filter(Optional::isPresent)).hasSize(5);
  }

  @Test
  void freedPermitsGoToTheOldestWaitingNamespaceFirst() {
    TenantBulkhead.Permit x = take("x");
    TenantBulkhead.Permit y = take("y");
    take("z");
    // "many" has 50 waiters, "one" has 1: "one" asked first
    assertThat(bulkhead.tryAcquire("one")).isEmpty();
    for (int i = 0; i < 50; i++) {
      assertThat(bulkhead.tryAcquire("many")).isEmpty();
    }
    assertThat(bulkhead.queue()).containsExactly("one", "many");

    x.close();
    // one permit free: it is "one"'s, however many of "many"'s waiters ask first
    for (int i = 0; i < 10; i++) {
      assertThat(bulkhead.tryAcquire("many")).isEmpty();
    }
    assertThat(bulkhead.tryAcquire("fresh")).as("a newcomer queues behind").isEmpty();
    TenantBulkhead.Permit one = take("one");
    assertThat(bulkhead.queue()).containsExactly("many", "fresh");

    y.close();
    take("many");
    // "many" still has waiters: their next refusal puts it at the back
    assertThat(bulkhead.tryAcquire("many")).isEmpty();
    assertThat(bulkhead.queue()).containsExactly("fresh", "many");

    one.close();
    assertThat(bulkhead.tryAcquire("many")).isEmpty();
    take("fresh");
  }

  @Test
  void twoFreePermitsServeTheFirstTwoQueuedNamespaces() {
    TenantBulkhead.Permit a = take("a");
    TenantBulkhead.Permit b = take("b");
    take("c");
    assertThat(bulkhead.tryAcquire("p")).isEmpty();
    assertThat(bulkhead.tryAcquire("q")).isEmpty();
    assertThat(bulkhead.tryAcquire("r")).isEmpty();
    a.close();
    b.close();
    assertThat(bulkhead.tryAcquire("r")).as("third in the queue, two permits free").isEmpty();
    take("q");
    take("p");
    assertThat(bulkhead.queue()).containsExactly("r");
  }

  @Test
  void aTicketNotRenewedIsDroppedAndKeepsNoTurn() {
    TenantBulkhead.Permit a = take("a");
    take("b");
    take("c");
    assertThat(bulkhead.tryAcquire("gone")).isEmpty(); // its waiters then disappear
    advance(Duration.ofSeconds(5));
    assertThat(bulkhead.tryAcquire("d")).isEmpty();
    a.close();
    assertThat(bulkhead.tryAcquire("d")).as("gone's ticket still stands").isEmpty();
    advance(TenantBulkhead.TICKET_TTL.minusSeconds(4));
    take("d");
    assertThat(bulkhead.queue()).isEmpty();
  }

  @Test
  void aWaiterThatKeepsAskingKeepsItsPlace() {
    TenantBulkhead.Permit a = take("a");
    take("b");
    take("c");
    assertThat(bulkhead.tryAcquire("w")).isEmpty();
    for (int i = 0; i < 20; i++) {
      advance(Duration.ofSeconds(3));
      assertThat(bulkhead.tryAcquire("later")).isEmpty();
      assertThat(bulkhead.tryAcquire("w")).isEmpty();
    }
    assertThat(bulkhead.queue()).containsExactly("w", "later");
    a.close();
    assertThat(bulkhead.tryAcquire("later")).isEmpty();
    take("w");
  }

  @Test
  void aNamespaceIsForgottenWhenItHoldsNothing() {
    List<TenantBulkhead.Permit> permits = new ArrayList<>();
    for (int round = 0; round < 1000; round++) {
      permits.add(take("ns-" + round));
      permits.add(take("ns-" + round));
      permits.forEach(TenantBulkhead.Permit::close);
      permits.clear();
    }
    assertThat(bulkhead.namespacesHeld()).isZero();
    assertThat(bulkhead.used()).isZero();

    take("a");
    take("b");
    take("c");
    for (int i = 0; i < 1000; i++) {
      assertThat(bulkhead.tryAcquire("waiting-" + i)).isEmpty();
    }
    advance(TenantBulkhead.TICKET_TTL.plusSeconds(1));
    assertThat(bulkhead.tryAcquire("d")).isEmpty();
    assertThat(bulkhead.namespacesHeld())
        .as("a, b, c hold permits, d has a ticket; the old tickets expired")
        .isEqualTo(4);
  }

  @Test
  void aPermitIsReleasedOnceWhateverTheWorkThrows() {
    assertThatThrownBy(
            () -> {
              try (TenantBulkhead.Permit p = take("a")) {
                throw new IllegalStateException("the check failed");
              }
            })
        .isInstanceOf(IllegalStateException.class);
    assertThat(bulkhead.inUse("a")).isZero();
    TenantBulkhead.Permit p = take("a");
    p.close();
    p.close();
    assertThat(bulkhead.used()).isZero();
    take("a");
    take("a");
    assertThat(bulkhead.inUse("a")).as("a second close gave nothing back twice").isEqualTo(2);
  }
}
