package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Argon2GateTest {
  static final long MIB = 1024L * 1024;

  @Test
  void permitsFollowTheHeap() {
    assertThat(Argon2Gate.permitsFor(384 * MIB)).as("the chart's heap").isEqualTo(2);
    assertThat(Argon2Gate.permitsFor(128 * MIB)).as("always one").isEqualTo(1);
    assertThat(Argon2Gate.permitsFor(1024 * MIB)).isEqualTo(9);
  }

  @Test
  void noMoreCallsRunAtOnceThanThereArePermits() throws Exception {
    Argon2Gate gate = new Argon2Gate(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(8);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                gate.run(
                    () -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      try {
                        Thread.sleep(50);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return running.decrementAndGet();
                    });
                done.countDown();
              });
      threads.add(t);
      t.start();
    }
    done.await();
    assertThat(most.get()).isEqualTo(2);
  }
}
