package dev.integrations.s3.informers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicySpec;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicyStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * What one cached copy of an S3AccessPolicy costs (issue 21, item 5), measured two ways: the JSON
 * of what the cache holds (exact, asserted) and the used heap after GC with {@value #COPIES} copies
 * held (printed: it is an estimate, shared with whatever else the JVM does).
 *
 * <p>Measured 2026-12-05 (Java 17, this machine), each policy as the API server serves it after
 * kubectl apply (its last-applied annotation repeats the spec): the largest the CRD allowed before
 * (100 buckets x 50 prefixes of 280 characters) 2,838,298 bytes of JSON and about 2,989 KiB of heap
 * a copy; the largest allowed now, with a 20 KiB rendered document in its status, 88,987 bytes and
 * 136 KiB whole (the policy controller's cache), 32,114 bytes and 84 KiB in the integration
 * controller's pruned copy.
 */
class PolicyCopySizeTest {
  static final int COPIES = 50;

  /** The largest spec the CRD allows: 100 buckets, 1,000 prefixes, 20,000 prefix characters. */
  static S3AccessPolicySpec maximalSpec() {
    List<BucketAccess> buckets = new ArrayList<>();
    for (int b = 0; b < 100; b++) {
      List<String> prefixes = new ArrayList<>();
      for (int p = 0; p < 10; p++) {
        String prefix = String.format("p%03d-%03d/", b, p);
        prefixes.add(prefix + "x".repeat(20 - prefix.length()));
      }
      buckets.add(new BucketAccess(String.format("bucket-%03d-", b) + "b".repeat(52), prefixes));
    }
    S3AccessPolicySpec spec = new S3AccessPolicySpec();
    spec.setBuckets(buckets);
    spec.setActions(List.of("s3:GetObject", "s3:ListBucket"));
    return spec;
  }

  /** The largest the CRD allowed before this bound: 100 buckets x 50 prefixes, 1.4 MB. */
  static S3AccessPolicySpec formerMaximalSpec() {
    List<BucketAccess> buckets = new ArrayList<>();
    for (int b = 0; b < 100; b++) {
      List<String> prefixes = new ArrayList<>();
      for (int p = 0; p < 50; p++) {
        prefixes.add(String.format("p%03d-%03d/", b, p) + "x".repeat(270));
      }
      buckets.add(new BucketAccess(String.format("bucket-%03d", b), prefixes));
    }
    S3AccessPolicySpec spec = new S3AccessPolicySpec();
    spec.setBuckets(buckets);
    return spec;
  }

  /**
   * The JSON the API server sends for a policy applied with kubectl and rendered by the operator.
   */
  static String asServed(S3AccessPolicySpec spec, boolean rendered) {
    S3AccessPolicy p = new S3AccessPolicy();
    p.getMetadata().setName("maximal");
    p.getMetadata().setNamespace("team-a");
    p.getMetadata().setUid("5b0a3c1e-8a5f-4a8e-9d55-2f1d3c0b9e71");
    p.getMetadata().setResourceVersion("123456");
    p.getMetadata().setGeneration(3L);
    p.getMetadata().setCreationTimestamp("2026-12-05T07:00:00Z");
    p.getMetadata().setLabels(Map.of("team", "a"));
    p.setSpec(spec);
    p.getMetadata()
        .setAnnotations(
            Map.of("kubectl.kubernetes.io/last-applied-configuration", Serialization.asJson(p)));
    if (rendered) {
      S3AccessPolicyStatus status = new S3AccessPolicyStatus();
      status.setObservedGeneration(3L);
      status.setDocument(
          "{\"Statement\":[" + "\"arn:aws:s3:::bucket/prefix*\",".repeat(680) + "]}");
      status
          .getConditions()
          .add(
              new ConditionBuilder()
                  .withType("Ready")
                  .withStatus("True")
                  .withReason("Rendered")
                  .withMessage("rendered into a policy document of 20400 bytes")
                  .withLastTransitionTime("2026-12-05T07:00:01Z")
                  .build());
      p.setStatus(status);
    }
    return Serialization.asJson(p);
  }

  static S3AccessPolicy read(String json) {
    return Serialization.unmarshal(json, S3AccessPolicy.class);
  }

  static S3AccessPolicy pruned(String json) {
    PrunedItemStore<S3AccessPolicy> store = PrunedItemStore.policiesForIntegrations();
    store.put("team-a/maximal", read(json));
    return store.get("team-a/maximal");
  }

  static int jsonBytes(Object o) {
    return Serialization.asJson(o).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void theIntegrationControllersCopyKeepsTheSpecAndWhatItsInformerReadsOnly() {
    String served = asServed(maximalSpec(), true);
    S3AccessPolicy full = read(served);
    S3AccessPolicy copy = pruned(served);

    assertThat(copy.getSpec().getBuckets()).isEqualTo(full.getSpec().getBuckets());
    assertThat(copy.getSpec().getActions()).isEqualTo(full.getSpec().getActions());
    assertThat(copy.getMetadata().getName()).isEqualTo("maximal");
    assertThat(copy.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(copy.getMetadata().getUid()).isEqualTo(full.getMetadata().getUid());
    assertThat(copy.getMetadata().getResourceVersion()).isEqualTo("123456");
    assertThat(copy.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(copy.getStatus()).isNull();
    // empty, not null: JOSDK's InformerEventSource reads the annotations of each event it gets
    assertThat(copy.getMetadata().getAnnotations()).isNotNull().isEmpty();
    assertThat(copy.getMetadata().getLabels()).isNotNull().isEmpty();
    assertThat(copy.getMetadata().getOwnerReferences()).isNotNull().isEmpty();

    int fullBytes = jsonBytes(full);
    int copyBytes = jsonBytes(copy);
    int formerBytes = asServed(formerMaximalSpec(), false).getBytes(StandardCharsets.UTF_8).length;
    System.out.printf(
        "S3AccessPolicy JSON per copy: former maximal %d bytes; maximal now, whole %d bytes,"
            + " integration controller's copy %d bytes%n",
        formerBytes, fullBytes, copyBytes);
    assertThat(formerBytes).as("the former bound allowed megabytes").isGreaterThan(1_400_000);
    // the spec alone (about 33 KB) with a name: status and the annotation are gone
    assertThat(copyBytes).isLessThan(40 * 1024);
    assertThat(copyBytes).isLessThan(fullBytes / 2);

    long formerHeap = heapPerCopy(i -> read(asServed(formerMaximalSpec(), false)));
    long fullHeap = heapPerCopy(i -> read(served));
    long copyHeap = heapPerCopy(i -> pruned(served));
    System.out.printf(
        "S3AccessPolicy heap per copy (used heap after GC, %d copies held): former maximal %d KiB;"
            + " maximal now, whole %d KiB, integration controller's copy %d KiB%n",
        COPIES, formerHeap / 1024, fullHeap / 1024, copyHeap / 1024);
  }

  private static long heapPerCopy(IntFunction<S3AccessPolicy> make) {
    long before = usedHeapAfterGc();
    List<S3AccessPolicy> held = new ArrayList<>();
    for (int i = 0; i < COPIES; i++) {
      held.add(make.apply(i));
    }
    long after = usedHeapAfterGc();
    assertThat(held).hasSize(COPIES); // held until measured
    return Math.max(0, (after - before) / COPIES);
  }

  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
