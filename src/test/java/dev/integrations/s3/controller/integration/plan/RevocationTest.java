package dev.integrations.s3.controller.integration.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.ApiGroup;
import dev.integrations.s3.api.v1alpha1.CredentialsSpec;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.controller.integration.plan.Revocation.Standing;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadActions;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import dev.integrations.s3.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the platform's revocation does to a record, as a table: the record, the integration (or its
 * absence) and the store's rules in; the write out. The spec's {@code paused} and {@code
 * deletionPolicy} are not inputs at all: nothing a tenant sets can keep a grant the store took
 * away.
 */
class RevocationTest {
  static final String NS = "team-a";
  static final String UID = "uid-ours";
  static final String USER = "k8s.team-a.viz";
  static final String POLICY = "s3i-k8s.team-a.viz";
  static final String STORE = "ClusterS3Store/minio-prod";
  static final OwnershipRecord RECORD =
      new OwnershipRecord(UID, NS, "viz", STORE, USER, POLICY, "recorded-key-0123456789");

  static S3Integration integration() {
    S3Integration i =
        Fixtures.managed(NS, "viz", new StoreRef(StoreKind.ClusterS3Store, "minio-prod"), "read");
    i.getMetadata().setUid(UID);
    return i;
  }

  static ResolvedStore store(String prefix) {
    var s =
        Fixtures.clusterStore(
            "minio-prod",
            "minio.local",
            9000,
            "minio-admin",
            Fixtures.allow(Map.of("team", "vision"), "media", "vision-*"));
    s.getSpec().getAdmin().setUserPrefix(prefix);
    return new ResolvedStore(StoreKind.ClusterS3Store, "minio-prod", null, s.getSpec(), "s3-op");
  }

  static StoreAccess access(Map<String, String> labels) {
    ResolvedStore s = store("k8s.");
    return StoreAccess.of(s.kind(), s.spec(), labels);
  }

  static final Map<String, String> VISION = Map.of("team", "vision");

  @Nested
  class Standings {
    @Test
    void anIntegrationThatStillUsesTheUserHoldsIt() {
      assertThat(
              Revocation.standing(RECORD, Optional.of(integration()), Optional.of(store("k8s."))))
          .isEqualTo(Standing.HELD);
    }

    @Test
    void pausedOrRetainedMakesNoDifference() {
      S3Integration i = integration();
      i.getMetadata().setAnnotations(Map.of(ApiGroup.PAUSED_ANNOTATION, "true"));
      i.getSpec().setDeletionPolicy(dev.integrations.s3.api.v1alpha1.DeletionPolicy.Retain);
      assertThat(Revocation.standing(RECORD, Optional.of(i), Optional.of(store("k8s."))))
          .isEqualTo(Standing.HELD);
    }

    @Test
    void aGoneIntegrationOrOneWithAnotherUidLeavesAnOrphan() {
      assertThat(Revocation.standing(RECORD, Optional.empty(), Optional.empty()))
          .isEqualTo(Standing.ORPHAN);
      S3Integration recreated = integration();
      recreated.getMetadata().setUid("uid-new");
      assertThat(Revocation.standing(RECORD, Optional.of(recreated), Optional.of(store("k8s."))))
          .isEqualTo(Standing.ORPHAN);
    }

    @Test
    void anotherStoreAnotherPrefixOrOwnKeysIsASwitch() {
      S3Integration elsewhere = integration();
      elsewhere.getSpec().setStoreRef(new StoreRef(StoreKind.ClusterS3Store, "does-not-exist"));
      assertThat(Revocation.standing(RECORD, Optional.of(elsewhere), Optional.empty()))
          .isEqualTo(Standing.SWITCHED);

      assertThat(
              Revocation.standing(RECORD, Optional.of(integration()), Optional.of(store("new."))))
          .isEqualTo(Standing.SWITCHED);

      S3Integration ownKeys = integration();
      CredentialsSpec own = new CredentialsSpec();
      own.setSecretRef(new dev.integrations.s3.api.v1alpha1.KeyPairSecretRef());
      ownKeys.getSpec().setCredentials(own);
      assertThat(Revocation.standing(RECORD, Optional.of(ownKeys), Optional.of(store("k8s."))))
          .isEqualTo(Standing.SWITCHED);
    }

    @Test
    void aStoreThatCannotBeResolvedNowKeepsAHoldingIntegrationHeld() {
      // its rules are what narrow it, not the failure of its own reconcile
      assertThat(Revocation.standing(RECORD, Optional.of(integration()), Optional.empty()))
          .isEqualTo(Standing.HELD);
    }
  }

  @Nested
  class Narrowing {
    static String doc(ReadGrant... grants) {
      return PolicyDocument.merge(List.of(grants));
    }

    @Test
    void grantsWithinTheRulesAreLeftAlone() {
      String document =
          doc(
              ReadGrant.of(BucketGrant.wholeBucket("media")),
              ReadGrant.of(BucketGrant.withPrefixes("vision-a", "cats/", "dogs/")),
              new ReadGrant(
                  List.of(BucketGrant.withPrefixes("vision-b", "x/")),
                  List.of(
                      ReadActions.GET_OBJECT,
                      ReadActions.LIST_BUCKET,
                      ReadActions.GET_BUCKET_LOCATION)));
      assertThat(Revocation.narrowing(RECORD, access(VISION), Optional.of(document))).isEmpty();
    }

    @Test
    void aBucketTheRulesNoLongerNameIsCutOut() {
      String document =
          doc(ReadGrant.of(BucketGrant.wholeBucket("media"), BucketGrant.wholeBucket("finance")));
      assertThat(Revocation.narrowing(RECORD, access(VISION), Optional.of(document)))
          .contains(
              new Change.PutPolicy(
                  POLICY, doc(ReadGrant.of(BucketGrant.wholeBucket("media"))), true));
    }

    @Test
    void nothingLeftMeansDetached() {
      String document = doc(ReadGrant.of(BucketGrant.wholeBucket("finance")));
      assertThat(Revocation.narrowing(RECORD, access(VISION), Optional.of(document)))
          .contains(new Change.DetachAllPolicies(USER));
    }

    @Test
    void aNamespaceTheRulesNoLongerSelectLosesEverything() {
      String document = doc(ReadGrant.of(BucketGrant.wholeBucket("media")));
      assertThat(Revocation.narrowing(RECORD, access(Map.of()), Optional.of(document)))
          .contains(new Change.DetachAllPolicies(USER));
    }

    @Test
    void aDocumentTheOperatorDidNotWriteIsNotGuessedAt() {
      String document =
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
              + "\"Action\":[\"s3:*\"],\"Resource\":[\"arn:aws:s3:::media/*\"]}]}";
      assertThat(Revocation.narrowing(RECORD, access(VISION), Optional.of(document)))
          .contains(new Change.DetachAllPolicies(USER));
    }

    @Test
    void noDocumentGrantsNothing() {
      assertThat(Revocation.narrowing(RECORD, access(Map.of()), Optional.empty())).isEmpty();
    }

    @Test
    void narrowingToAPrefixKeepsTheRenderersShape() {
      // the store now allows only media's "public/": what stays is exactly what the
      // integration's own reconcile would write, so the two never undo each other
      var s =
          Fixtures.clusterStore(
              "minio-prod", "minio.local", 9000, "minio-admin", Fixtures.allow(VISION, "media"));
      s.getSpec().getAllow().get(0).setPrefixes(List.of("public/"));
      StoreAccess narrow = StoreAccess.of(StoreKind.ClusterS3Store, s.getSpec(), VISION);
      String document = doc(ReadGrant.of(BucketGrant.withPrefixes("media", "public/", "private/")));
      assertThat(Revocation.narrowing(RECORD, narrow, Optional.of(document)))
          .contains(
              new Change.PutPolicy(
                  POLICY, doc(ReadGrant.of(BucketGrant.withPrefixes("media", "public/"))), true));
    }
  }

  @Test
  void retiringAnOrphanRemovesItsKeysUserPolicyAndThenTheRecord() {
    OwnershipRecord rotated =
        RECORD.rotated(
            "SAKEY0123456789",
            "sa-secret-0123456789",
            java.time.Instant.parse("2026-12-01T00:00:00Z"),
            java.time.Instant.parse("2026-12-01T01:00:00Z"),
            "1");
    assertThat(Revocation.retire(rotated))
        .containsExactly(
            new Change.DeleteServiceAccount("SAKEY0123456789"),
            new Change.DeleteUser(USER),
            new Change.DeletePolicy(POLICY),
            new Change.DeleteRecord(rotated));
  }

  @Test
  void onlyARecordTheOperatorCouldHaveWrittenIsActedOn() {
    String name = dev.integrations.s3.ownership.OwnershipRecordSecret.name(STORE, USER);
    assertThat(Revocation.consistent(name, RECORD)).isTrue();
    // stored under another name than its store and user give
    assertThat(Revocation.consistent("forged-record", RECORD)).isFalse();
    // naming a user its namespace and name do not derive: the admin's, another tenant's
    for (String user : List.of("minio-admin", "k8s.team-b.viz", "k8s.team-a.other")) {
      OwnershipRecord forged =
          new OwnershipRecord(UID, NS, "viz", STORE, user, "s3i-" + user, "key-0123456789");
      assertThat(
              Revocation.consistent(
                  dev.integrations.s3.ownership.OwnershipRecordSecret.name(STORE, user), forged))
          .as(user)
          .isFalse();
    }
    // a long name hashed with the 32 bits of earlier versions is still ours
    String ns = "n".repeat(32);
    String legacy =
        dev.integrations.s3.storage.minio.MinioNames.legacyUserName("k8s.", ns, "m".repeat(32))
            .orElseThrow();
    OwnershipRecord old =
        new OwnershipRecord(UID, ns, "m".repeat(32), STORE, legacy, "s3i-x", "key-0123456789");
    assertThat(
            Revocation.consistent(
                dev.integrations.s3.ownership.OwnershipRecordSecret.name(STORE, legacy), old))
        .isTrue();
  }

  @Test
  void anIntegrationWhoseRecordNamesTheOldShortHashKeepsItsUser() {
    // upgrading must not switch long-named integrations to a new user (and new keys)
    String ns = "n".repeat(32);
    String name = "m".repeat(32);
    S3Integration i =
        Fixtures.managed(ns, name, new StoreRef(StoreKind.ClusterS3Store, "minio-prod"), "read");
    i.getMetadata().setUid(UID);
    ResolvedStore store = store("k8s.");
    StoreAccess access = StoreAccess.of(store.kind(), store.spec(), VISION);
    String legacy =
        dev.integrations.s3.storage.minio.MinioNames.legacyUserName("k8s.", ns, name).orElseThrow();
    IntegrationModel kept =
        IntegrationModel.from(
            i,
            store,
            access,
            p -> Optional.empty(),
            dev.integrations.s3.config.OperatorConfig.defaults(),
            legacy::equals);
    assertThat(kept.userName()).isEqualTo(legacy);
    IntegrationModel fresh =
        IntegrationModel.from(
            i,
            store,
            access,
            p -> Optional.empty(),
            dev.integrations.s3.config.OperatorConfig.defaults());
    assertThat(fresh.userName()).hasSize(64).matches(".*-[0-9a-f]{16}");
  }
}
