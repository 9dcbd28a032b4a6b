package dev.integrations.s3.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.integrations.s3.testing.Examples;
import dev.integrations.s3.testing.KubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in {@code crds/} on a real kube-apiserver: what {@code kubectl apply} of a bad resource
 * answers (OpenAPI schema and CEL rules are enforced by the server, not by the operator), which
 * defaults the server fills in, and that every file in {@code examples/} is accepted as written.
 *
 * <p>Resources are written as YAML, the way a user writes them, and sent untyped, so that the Java
 * model's own defaults cannot hide a missing server default.
 */
class CrdValidationIT {
  static final String API_VERSION = "s3.integrations.dev/v1alpha1";
  static KubernetesClient client;
  static String ns;
  static final List<GenericKubernetesResource> created = new ArrayList<>();

  @BeforeAll
  static void start() {
    client = KubeApiServer.shared().client();
    ns = KubeApiServer.shared().createNamespace("crd");
  }

  @AfterAll
  static void cleanUp() {
    // No operator runs in this class, so there are no finalizers: deletion is immediate. Nothing
    // is left for the operators of later test classes to reconcile.
    for (GenericKubernetesResource r : created) {
      client.resource(r).delete();
    }
  }

  // ------------------------------------------------------------------ S3AccessPolicy

  @Test
  void upperCaseBucketNameIsRejected() {
    assertRejected(
        policy("upper", "buckets: [{name: Share-With-Kolena}]"),
        "spec.buckets[0].name",
        "should match '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$'");
  }

  @Test
  void adjacentPeriodsInABucketNameAreRejectedByTheCelRule() {
    assertRejected(
        policy("dots", "buckets: [{name: a..b}]"),
        "spec.buckets[0].name",
        "bucket name must not contain two adjacent periods");
  }

  @Test
  void ipAddressLikeBucketNameIsRejected() {
    assertRejected(
        policy("ip", "buckets: [{name: 192.168.10.20}]"),
        "spec.buckets[0].name",
        "bucket name must not be formatted as an IP address");
  }

  @Test
  void writeActionIsRejected() {
    assertRejected(
        policy(
            "write",
            "buckets: [{name: share-with-kolena}]\n  actions: [s3:GetObject, s3:PutObject]"),
        "spec.actions",
        "only read actions are allowed: s3:GetObject, s3:ListBucket, s3:GetBucketLocation,"
            + " s3:GetObjectVersion");
  }

  @Test
  void policyWithoutBucketsIsRejected() {
    assertRejected(
        policy("nobuckets", "actions: [s3:GetObject]"), "spec.buckets", "Required value");
  }

  /**
   * The largest policy the CRD allows: 100 buckets (one with an empty list, one with none) and
   * 1,000 prefixes of 20 characters, 20,000 characters in all. Stored as written.
   */
  @Test
  void aPolicyAtTheSizeBoundIsAccepted() {
    GenericKubernetesResource p = create(policy("maximal", maximalPolicyBuckets()));
    List<?> buckets = (List<?>) at(p, "spec", "buckets");
    assertThat(buckets).hasSize(100);
    long prefixes =
        buckets.stream()
            .map(b -> (List<?>) ((Map<?, ?>) b).get("prefixes"))
            .filter(Objects::nonNull)
            .mapToLong(List::size)
            .sum();
    assertThat(prefixes).isEqualTo(1000);
  }

  @Test
  void aPolicyWithMoreThan1000PrefixesIsRejected() {
    // 100 buckets of 10 one-character prefixes, and one more: 1,001
    StringBuilder b = new StringBuilder("buckets: [");
    for (int i = 0; i < 100; i++) {
      b.append(i == 0 ? "" : ", ").append("{name: bucket-").append(i).append(", prefixes: [");
      for (int j = 0; j < (i == 0 ? 11 : 10); j++) {
        b.append(j == 0 ? "" : ", ").append("p").append(j).append("/");
      }
      b.append("]}");
    }
    assertRejected(
        policy("too-many-prefixes", b.append("]").toString()),
        "spec",
        "at most 1000 prefixes over all buckets");
  }

  @Test
  void aPolicyWithMoreThan20KiBOfPrefixesIsRejected() {
    // 21 buckets, each with one prefix of 1,000 characters: 21,000 > 20,480
    String longPrefix = "a".repeat(999) + "/";
    StringBuilder b = new StringBuilder("buckets: [");
    for (int i = 0; i < 21; i++) {
      b.append(i == 0 ? "" : ", ")
          .append("{name: bucket-")
          .append(i)
          .append(", prefixes: [")
          .append(longPrefix)
          .append("]}");
    }
    assertRejected(
        policy("too-long-prefixes", b.append("]").toString()),
        "spec",
        "at most 20480 characters of prefixes over all buckets");
  }

  /** 100 buckets: bucket-0 without prefixes, bucket-1 with an empty list, 98 of 10 or 11. */
  static String maximalPolicyBuckets() {
    StringBuilder b =
        new StringBuilder("buckets: [{name: bucket-0}, {name: bucket-1, prefixes: []}");
    int left = 1000;
    for (int i = 2; i < 100; i++) {
      int n = i < 2 + 20 ? 11 : 10; // 20 × 11 + 78 × 10 = 1,000
      b.append(", {name: bucket-").append(i).append(", prefixes: [");
      for (int j = 0; j < n; j++) {
        String prefix = String.format("p%03d-%03d/", i, j);
        b.append(j == 0 ? "" : ", ").append(prefix).append("x".repeat(20 - prefix.length()));
        left--;
      }
      b.append("]}");
    }
    if (left != 0) {
      throw new IllegalStateException(left + " prefixes short of 1000");
    }
    return b.append("]").toString();
  }

  // ------------------------------------------------------------------ S3Integration

  @Test
  void integrationWithBothCredentialBlocksIsRejected() {
    assertRejected(
        integration(
            "both",
            """
            storeRef: {name: minio-prod}
            accessPolicyRefs: [{name: read}]
            credentials:
              managed: {}
              secretRef: {name: keys}
            """),
        "spec.credentials",
        "exactly one of credentials.managed or credentials.secretRef must be set");
  }

  @Test
  void rotationOfKeysTheOperatorDidNotIssueIsRejected() {
    assertRejected(
        integration(
            "rotate-own",
            """
            storeRef: {name: minio-prod}
            bucket: share-with-kolena
            credentials:
              secretRef: {name: keys}
            rotation: {interval: 90d}
            """),
        "spec",
        "rotation needs credentials.managed");
  }

  @Test
  void rotationDurationsInAnotherFormAreRejected() {
    assertRejected(
        integration(
            "rotate-form",
            """
            storeRef: {name: minio-prod}
            accessPolicyRefs: [{name: read}]
            credentials:
              managed: {}
            rotation: {interval: 3 months}
            """),
        "spec.rotation.interval",
        "should match");
  }

  /**
   * A duration of 5,000 repetitions ("1s1s1s...") once overflowed the operator's parser; the API
   * server now refuses anything over 32 characters before the operator sees it.
   */
  @Test
  void aDurationLongerThan32CharactersIsRejected() {
    assertRejected(
        integration(
            "long-interval",
            """
            storeRef: {name: minio-prod}
            accessPolicyRefs: [{name: read}]
            credentials:
              managed: {}
            verification: {interval: %s}
            """
                .formatted("1s".repeat(5_000))),
        "spec.verification.interval",
        "Too long");
  }

  @Test
  void rotationInDaysIsAccepted() {
    GenericKubernetesResource i =
        create(
            integration(
                "rotate-days",
                """
                storeRef: {name: minio-prod}
                accessPolicyRefs: [{name: read}]
                credentials:
                  managed: {}
                rotation: {interval: 90d, overlap: 1h}
                """));
    assertThat(at(i, "spec", "rotation", "interval")).isEqualTo("90d");
  }

  @Test
  void integrationWithNeitherCredentialBlockIsRejected() {
    assertRejected(
        integration(
            "neither",
            """
            storeRef: {name: minio-prod}
            bucket: share-with-kolena
            credentials: {}
            """),
        "spec.credentials",
        "exactly one of credentials.managed or credentials.secretRef must be set");
  }

  @Test
  void integrationWithoutAStoreIsRejected() {
    assertRejected(
        integration(
            "nostore",
            """
            bucket: share-with-kolena
            credentials: {secretRef: {name: keys}}
            """),
        "spec.storeRef",
        "Required value");
  }

  @Test
  void aStoreKindThatDoesNotExistIsRejected() {
    assertRejected(
        integration(
            "kind",
            """
            storeRef: {kind: Bucket, name: minio-prod}
            bucket: share-with-kolena
            credentials: {secretRef: {name: keys}}
            """),
        "spec.storeRef.kind",
        "supported values: \"ClusterS3Store\", \"S3Store\"");
  }

  @Test
  void aTenantCannotChooseTheUserOrTheAdminKeys() {
    // Fields of the old API that let a tenant name a storage user or an admin Secret: pruned is
    // not enough, a strict client gets an error, and the stored object holds neither.
    GenericKubernetesResource stored =
        create(
            integration(
                "nochoice",
                """
                storeRef: {name: minio-prod}
                accessPolicyRefs: [{name: read}]
                credentials:
                  managed: {userName: someone-else, adminSecretRef: {name: minio-admin}}
                """));
    assertThat(at(stored, "spec", "credentials", "managed")).isEqualTo(Map.of());
  }

  @Test
  void unknownDeletionPolicyIsRejected() {
    assertRejected(
        integration(
            "orphan",
            """
            storeRef: {name: minio-prod}
            bucket: share-with-kolena
            deletionPolicy: Orphan
            credentials: {secretRef: {name: keys}}
            """),
        "spec.deletionPolicy",
        "Unsupported value: \"Orphan\": supported values: \"Delete\", \"Retain\"");
  }

  @Test
  void managedWithoutAccessPolicyRefsIsRejected() {
    assertRejected(
        integration(
            "norefs",
            """
            storeRef: {name: minio-prod}
            bucket: share-with-kolena
            credentials: {managed: {}}
            """),
        "spec",
        "credentials.managed needs at least one entry in accessPolicyRefs");
  }

  @Test
  void aScopeBucketWithAReservedSuffixIsRejectedLikeAnyBucketName() {
    assertRejected(
        integration(
            "reserved",
            """
            storeRef: {name: minio-prod}
            bucket: data--x-s3
            credentials: {secretRef: {name: keys}}
            """),
        "spec.bucket",
        "reserved suffix");
  }

  // ------------------------------------------------------------------ ClusterS3Store, S3Store

  /**
   * Issue 21, item 15: the store's spacing of rotate requests is a duration field like the rest.
   */
  @Test
  void aStoresMinRequestIntervalIsADurationOfAtMost32Characters() {
    GenericKubernetesResource ok =
        create(clusterStore("spacing", "endpoint: minio\nrotation: {minRequestInterval: 30m}"));
    assertThat(at(ok, "spec", "rotation", "minRequestInterval")).isEqualTo("30m");
    assertRejected(
        clusterStore(
            "spacing-long",
            "endpoint: minio\nrotation: {minRequestInterval: " + "1s".repeat(17) + "}"),
        "spec.rotation.minRequestInterval",
        "Too long");
    assertRejected(
        clusterStore("spacing-words", "endpoint: minio\nrotation: {minRequestInterval: 10 min}"),
        "spec.rotation.minRequestInterval",
        "should match");
  }

  @Test
  void storePortZeroIsRejected() {
    assertRejected(
        clusterStore("port0", "endpoint: minio.storage.svc\nport: 0"),
        "spec.port",
        "should be greater than or equal to 1");
  }

  @Test
  void storeEndpointWithSchemeIsRejected() {
    assertRejected(
        clusterStore("scheme", "endpoint: https://minio.storage.svc"),
        "spec.endpoint",
        "should match");
  }

  @Test
  void storeEndpointWithALabelLongerThan63IsRejected() {
    assertRejected(
        clusterStore("label", "endpoint: " + "a".repeat(64) + ".example.com"),
        "spec.endpoint",
        "should match");
  }

  @Test
  void aPublicEndpointWithAPathOrWithoutSchemeIsRejected() {
    assertRejected(
        clusterStore("pubpath", "endpoint: minio\npublicEndpoint: https://files.example.com/s3"),
        "spec.publicEndpoint",
        "should match");
    assertRejected(
        clusterStore("pubscheme", "endpoint: minio\npublicEndpoint: files.example.com"),
        "spec.publicEndpoint",
        "should match");
  }

  @Test
  void aPublicEndpointWithPortOrIpv6IsAccepted() {
    GenericKubernetesResource named =
        create(
            clusterStore(
                "pubport", "endpoint: minio\npublicEndpoint: https://files.example.com:8443"));
    assertThat(at(named, "spec", "publicEndpoint")).isEqualTo("https://files.example.com:8443");
    GenericKubernetesResource v6 =
        create(clusterStore("pubv6", "endpoint: minio\npublicEndpoint: \"http://[fd00::1]:9000\""));
    assertThat(at(v6, "spec", "publicEndpoint")).isEqualTo("http://[fd00::1]:9000");
  }

  @Test
  void anIpv6EndpointIsAccepted() {
    GenericKubernetesResource s =
        create(clusterStore("ipv6", "endpoint: \"fd00::10\"\nport: 9000"));
    assertThat(at(s, "spec", "endpoint")).isEqualTo("fd00::10");
  }

  @Test
  void aClusterStoreRuleWithoutNamespaceSelectorIsRejected() {
    assertRejected(
        clusterStore(
            "nosel", "endpoint: minio.storage.svc\nallow: [{buckets: [share-with-kolena]}]"),
        "spec.allow",
        "every allow rule of a ClusterS3Store needs a namespaceSelector");
  }

  @Test
  void anS3StoreRuleWithNamespaceSelectorIsRejected() {
    assertRejected(
        yaml(
            "apiVersion: "
                + API_VERSION
                + "\nkind: S3Store\nmetadata:\n  name: sel\nspec:\n  endpoint: minio\n"
                + "  allow: [{namespaceSelector: {}, buckets: [share-with-kolena]}]\n"),
        "spec.allow",
        "an S3Store serves only its own namespace");
  }

  @Test
  void aBucketGlobWithUpperCaseIsRejected() {
    assertRejected(
        clusterStore(
            "glob", "endpoint: minio\nallow: [{namespaceSelector: {}, buckets: [Vision-*]}]"),
        "spec.allow[0].buckets[0]",
        "should match");
  }

  @Test
  void aUserPrefixWithSlashesIsRejected() {
    assertRejected(
        clusterStore(
            "prefix",
            "endpoint: minio\nadmin: {secretRef: {name: minio-admin}, userPrefix: \"a/b\"}"),
        "spec.admin.userPrefix",
        "should match");
  }

  // ------------------------------------------------------------------ accepted, defaulted

  @Test
  void validPolicyIsAcceptedAsWritten() {
    GenericKubernetesResource p =
        create(
            policy(
                "valid",
                "buckets: [{name: share-with-kolena, prefixes: [images/]}]\n"
                    + "  actions: [s3:GetObject, s3:ListBucket]"));
    assertThat(at(p, "spec", "buckets"))
        .isEqualTo(List.of(Map.of("name", "share-with-kolena", "prefixes", List.of("images/"))));
    assertThat(at(p, "spec", "actions")).isEqualTo(List.of("s3:GetObject", "s3:ListBucket"));
  }

  @Test
  void serverFillsInTheDefaultsOfAMinimalIntegrationAndStore() {
    GenericKubernetesResource keys =
        create(
            integration(
                "defaults-keys",
                """
                storeRef: {name: oracle}
                bucket: share-with-kolena
                credentials: {secretRef: {name: keys}}
                """));
    String what = "server defaults of a secretRef integration: " + keys.getAdditionalProperties();
    assertThat(at(keys, "spec", "storeRef", "kind")).as(what).isEqualTo("ClusterS3Store");
    assertThat(at(keys, "spec", "deletionPolicy")).as(what).isEqualTo("Delete");
    assertThat(at(keys, "spec", "credentials", "secretRef", "accessKeyKey"))
        .as(what)
        .isEqualTo("accessKey");
    assertThat(at(keys, "spec", "credentials", "secretRef", "secretKeyKey"))
        .as(what)
        .isEqualTo("secretKey");

    GenericKubernetesResource store =
        create(
            clusterStore(
                "defaults-store",
                "endpoint: minio.storage.svc\ntls: {}\nadmin: {secretRef: {name: minio-admin}}"));
    what = "server defaults of a store: " + store.getAdditionalProperties();
    assertThat(at(store, "spec", "region")).as(what).isEqualTo("us-east-1");
    assertThat(at(store, "spec", "addressingStyle")).as(what).isEqualTo("path");
    assertThat(at(store, "spec", "tls", "enabled")).as(what).isEqualTo(true);
    assertThat(at(store, "spec", "admin", "secretRef", "accessKeyKey"))
        .as(what)
        .isEqualTo("accessKey");
    // A structural-schema default applies only inside an object that is present: without a tls
    // block the server stores none, and the operator treats an absent tls as enabled.
    GenericKubernetesResource bare = create(clusterStore("defaults-bare", "endpoint: minio"));
    assertThat(at(bare, "spec", "tls")).isNull();
  }

  // ------------------------------------------------------------------ examples/

  @Test
  void everyExampleIsAcceptedUnchanged() throws IOException {
    Path dir = Path.of(System.getProperty("project.basedir", "."), "examples");
    List<Path> scenarios = Examples.scenarios(dir);
    assertThat(scenarios).as("scenarios in %s", dir.toAbsolutePath()).isNotEmpty();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.filter(Files::isRegularFile).toList())
          .as("examples/ holds one directory per scenario, nothing else")
          .isEmpty();
    }
    // the operator's namespace comes with its install (helm install -n s3-operator), not with
    // the examples, which keep their admin keys there
    if (client.namespaces().withName("s3-operator").get() == null) {
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName("s3-operator")
                  .endMetadata()
                  .build())
          .create();
    }
    int documents = 0;
    for (Path scenario : scenarios) {
      List<Path> files = Examples.files(scenario);
      try (Stream<Path> s = Files.list(scenario)) {
        assertThat(s.filter(f -> !f.getFileName().toString().equals("kustomization.yaml")))
            .as("every file of %s is listed in its kustomization.yaml", scenario)
            .containsExactlyInAnyOrderElementsOf(files);
      }
      for (Path file : files) {
        List<GenericKubernetesResource> docs = documents(file);
        assertThat(docs).as("%s holds no Kubernetes document", file).isNotEmpty();
        for (GenericKubernetesResource doc : docs) {
          documents++;
          GenericKubernetesResource stored;
          try {
            stored = client.resource(doc).forceConflicts().serverSideApply();
          } catch (KubernetesClientException e) {
            fail("the API server rejected %s %s from %s: %s", doc.getKind(), name(doc), file, e);
            return;
          }
          if (!"Namespace".equals(doc.getKind())) {
            created.add(stored);
          }
          GenericKubernetesResource readBack = client.resource(doc).get();
          List<String> differences = new ArrayList<>();
          for (Map.Entry<String, Object> e : doc.getAdditionalProperties().entrySet()) {
            if (e.getKey().equals("status") || e.getKey().equals("stringData")) {
              continue; // status is the operator's; stringData is write-only (stored as data)
            }
            contains(
                e.getKey(),
                e.getValue(),
                readBack.getAdditionalProperties().get(e.getKey()),
                differences);
          }
          contains(
              "metadata.labels",
              doc.getMetadata().getLabels(),
              readBack.getMetadata().getLabels(),
              differences);
          contains(
              "metadata.annotations",
              doc.getMetadata().getAnnotations(),
              readBack.getMetadata().getAnnotations(),
              differences);
          assertThat(differences)
              .as(
                  "%s %s from %s as stored by the API server differs from the file (a field the"
                      + " schema does not know is pruned silently)",
                  doc.getKind(), name(doc), file)
              .isEmpty();
        }
      }
    }
    System.err.printf(
        "examples/: %d scenarios, %d documents accepted unchanged%n", scenarios.size(), documents);
  }

  // ------------------------------------------------------------------ helpers

  private static String name(GenericKubernetesResource r) {
    return r.getMetadata() == null ? null : r.getMetadata().getName();
  }

  private static List<GenericKubernetesResource> documents(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      boolean empty = doc.lines().map(String::trim).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        out.add(
            client.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class));
      }
    }
    return out;
  }

  /** Records where {@code actual} lacks or differs from something in {@code expected}. */
  @SuppressWarnings("unchecked")
  private static void contains(String path, Object expected, Object actual, List<String> diffs) {
    if (expected == null) {
      return;
    }
    if (expected instanceof Map<?, ?> em) {
      if (!(actual instanceof Map<?, ?> am)) {
        diffs.add(path + ": expected an object, stored " + actual);
        return;
      }
      for (Map.Entry<?, ?> e : em.entrySet()) {
        contains(path + "." + e.getKey(), e.getValue(), am.get(e.getKey()), diffs);
      }
    } else if (expected instanceof List<?> el) {
      if (!(actual instanceof List<?> al) || al.size() != el.size()) {
        diffs.add(path + ": expected " + expected + ", stored " + actual);
        return;
      }
      for (int i = 0; i < el.size(); i++) {
        contains(path + "[" + i + "]", el.get(i), al.get(i), diffs);
      }
    } else if (expected instanceof Number en && actual instanceof Number an) {
      if (new BigDecimal(en.toString()).compareTo(new BigDecimal(an.toString())) != 0) {
        diffs.add(path + ": expected " + expected + ", stored " + actual);
      }
    } else if (!Objects.equals(expected, actual)) {
      diffs.add(path + ": expected " + expected + ", stored " + actual);
    }
  }

  private static GenericKubernetesResource policy(String name, String specBody) {
    return yaml(
        "apiVersion: "
            + API_VERSION
            + "\nkind: S3AccessPolicy\nmetadata:\n  name: "
            + name
            + "\nspec:\n  "
            + specBody
            + "\n");
  }

  private static GenericKubernetesResource clusterStore(String name, String spec) {
    String indented = spec.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    return yaml(
        "apiVersion: "
            + API_VERSION
            + "\nkind: ClusterS3Store\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + indented);
  }

  private static GenericKubernetesResource integration(String name, String spec) {
    String indented = spec.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    return yaml(
        "apiVersion: "
            + API_VERSION
            + "\nkind: S3Integration\nmetadata:\n  name: "
            + name
            + "\nspec:\n"
            + indented);
  }

  private static GenericKubernetesResource yaml(String text) {
    return client.getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource create(GenericKubernetesResource r) {
    boolean cluster = r.getKind().equals("ClusterS3Store");
    GenericKubernetesResource stored =
        cluster
            ? client.genericKubernetesResources(r.getApiVersion(), r.getKind()).resource(r).create()
            : client
                .genericKubernetesResources(r.getApiVersion(), r.getKind())
                .inNamespace(ns)
                .resource(r)
                .create();
    created.add(stored);
    return stored;
  }

  @SuppressWarnings("unchecked")
  private static Object at(GenericKubernetesResource r, String... path) {
    Object o = r.getAdditionalProperties();
    for (String p : path) {
      if (!(o instanceof Map)) {
        return null;
      }
      o = ((Map<String, Object>) o).get(p);
    }
    return o;
  }

  /**
   * Creating {@code r} must fail with 422 Invalid, with a cause on {@code field} whose message
   * contains {@code message}: what {@code kubectl apply} prints to the user.
   */
  private static void assertRejected(GenericKubernetesResource r, String field, String message) {
    KubernetesClientException e;
    try {
      create(r);
      fail(
          "the API server accepted the invalid %s %s: %s",
          r.getKind(), name(r), r.getAdditionalProperties());
      return;
    } catch (KubernetesClientException x) {
      e = x;
    }
    String shown = e.getMessage();
    assertThat(e.getCode()).as("HTTP status of the rejection: %s", shown).isEqualTo(422);
    assertThat(e.getStatus()).as("Status of the rejection: %s", shown).isNotNull();
    assertThat(e.getStatus().getReason()).as(shown).isEqualTo("Invalid");
    List<StatusCause> causes = e.getStatus().getDetails().getCauses();
    assertThat(causes)
        .as("causes of the rejection (%s)", shown)
        .anySatisfy(
            c -> {
              assertThat(c.getField()).isEqualTo(field);
              assertThat(c.getMessage()).contains(message);
            });
    assertThat(e.getStatus().getMessage()).as("the message kubectl prints").contains(message);
  }
}
