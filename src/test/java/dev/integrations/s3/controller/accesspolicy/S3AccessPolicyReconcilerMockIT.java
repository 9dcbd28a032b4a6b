package dev.integrations.s3.controller.accesspolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrations.s3.api.v1alpha1.BucketAccess;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicySpec;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.testing.MockOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3AccessPolicy reconciler on the fabric8 mock API server (CRUD mode, SSA off). */
@EnableKubernetesMockClient(crud = true)
class S3AccessPolicyReconcilerMockIT {
  static KubernetesClient client;
  static Operator operator;
  static final String NS = "team-a";

  static final String DOCS_POLICY =
      """
      {"Version":"2012-10-17","Statement":[{"Sid":"S3ListBucket","Effect":"Allow",
       "Action":["s3:GetObject","s3:ListBucket"],
       "Resource":["arn:aws:s3:::share-with-kolena","arn:aws:s3:::share-with-kolena/*"]}]}
      """;

  @BeforeAll
  static void start() {
    operator = MockOperator.start(client);
  }

  @AfterAll
  static void stop() {
    operator.stop();
  }

  @Test
  void validPolicyBecomesReadyWithTheDocumentFromTheStorageDocs() {
    create(policy("docs", List.of(new BucketAccess("share-with-kolena", null)), null));

    S3AccessPolicy ready = awaitReady("docs", "True");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getDocument()).isNotBlank();
    assertThat(PolicyDocument.equivalent(ready.getStatus().getDocument(), DOCS_POLICY)).isTrue();
    assertThat(readyCondition(ready).getReason()).isEqualTo("Valid");
    assertThat(events("docs")).extracting(Event::getReason).contains("Valid");
  }

  @Test
  void invalidBucketNameIsRejectedWithTheOffendingValueAndNoRetryLoop() {
    create(policy("bad-bucket", List.of(new BucketAccess("Bad_Bucket", null)), null));

    S3AccessPolicy failed = awaitReady("bad-bucket", "False");
    Condition ready = readyCondition(failed);
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).contains("\"Bad_Bucket\"");
    assertThat(failed.getStatus().getDocument()).isNull();
    assertThat(events("bad-bucket")).anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));

    assertQuiet("bad-bucket");
  }

  @Test
  void writeActionIsRejectedAndFixingTheSpecRecovers() {
    create(
        policy(
            "writer",
            List.of(new BucketAccess("media", List.of("images/"))),
            List.of("s3:GetObject", "s3:PutObject")));

    Condition ready = readyCondition(awaitReady("writer", "False"));
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).contains("s3:PutObject");

    S3AccessPolicy fixed = get("writer");
    fixed.getSpec().setActions(List.of("s3:GetObject", "s3:ListBucket"));
    client.resource(fixed).update();

    S3AccessPolicy recovered = awaitReady("writer", "True");
    assertThat(recovered.getStatus().getObservedGeneration())
        .isEqualTo(recovered.getMetadata().getGeneration());
    assertThat(recovered.getStatus().getDocument()).contains("arn:aws:s3:::media/images/*");
  }

  /** 100 buckets of 40 prefixes each: what the CRD admits, and about 16 times MinIO's limit. */
  static List<BucketAccess> huge(String bucketPrefix) {
    List<BucketAccess> buckets = new java.util.ArrayList<>();
    for (int b = 0; b < 100; b++) {
      List<String> prefixes = new java.util.ArrayList<>();
      for (int p = 0; p < 40; p++) {
        prefixes.add("studies/" + p + "/");
      }
      buckets.add(new BucketAccess(bucketPrefix + b, prefixes));
    }
    return buckets;
  }

  @Test
  void aPolicyLargerThanMinioAcceptsIsNotReadyAndKeepsNoDocument() {
    create(policy("huge", huge("huge-bucket-"), null));

    S3AccessPolicy failed = awaitReady("huge", "False");
    Condition ready = readyCondition(failed);
    assertThat(ready.getReason()).isEqualTo("PolicyTooLarge");
    assertThat(ready.getMessage()).containsPattern("renders to \\d{6} bytes").contains("20480");
    assertThat(failed.getStatus().getDocument()).as("no 300 KB copy in the status").isNull();
  }

  @Test
  void readyPolicyIsNotRewrittenInSteadyState() {
    create(policy("steady", List.of(new BucketAccess("steady-bucket", null)), null));
    awaitReady("steady", "True");
    assertQuiet("steady");
  }

  @Test
  void becomingInvalidClearsTheDocument() {
    create(policy("flip", List.of(new BucketAccess("flip-bucket", null)), null));
    assertThat(awaitReady("flip", "True").getStatus().getDocument()).isNotNull();

    S3AccessPolicy broken = get("flip");
    broken.getSpec().getBuckets().get(0).setName("flip..bucket");
    client.resource(broken).update();

    S3AccessPolicy failed = awaitReady("flip", "False");
    assertThat(readyCondition(failed).getMessage()).contains("\"flip..bucket\"");
    assertThat(failed.getStatus().getDocument()).isNull();
  }

  /** Nothing writes to the resource any more: its resourceVersion stays put. */
  private void assertQuiet(String name) {
    String version = get(name).getMetadata().getResourceVersion();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> get(name).getMetadata().getResourceVersion().equals(version));
  }

  private S3AccessPolicy awaitReady(String name, String status) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              S3AccessPolicy p = get(name);
              return p.getStatus() != null
                  && p.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && status.equals(c.getStatus()))
                  && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration());
            });
    return get(name);
  }

  private static Condition readyCondition(S3AccessPolicy p) {
    return p.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private List<Event> events(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private S3AccessPolicy get(String name) {
    return client.resources(S3AccessPolicy.class).inNamespace(NS).withName(name).get();
  }

  private void create(S3AccessPolicy p) {
    client.resource(p).create();
  }

  static S3AccessPolicy policy(String name, List<BucketAccess> buckets, List<String> actions) {
    S3AccessPolicy p = new S3AccessPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    S3AccessPolicySpec spec = new S3AccessPolicySpec();
    spec.setBuckets(buckets);
    spec.setActions(actions);
    p.setSpec(spec);
    return p;
  }
}
