package dev.integrations.s3.controller.integration.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreRef;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.controller.common.InputSecrets;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.minio.MinioAdmin.MinioUser;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import dev.integrations.s3.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The ownership and ordering rules of a reconcile as a truth table: each test is one row, the
 * observed state in, the decision out. No server is involved; the integration tests show the same
 * rows on a real MinIO. Ownership comes from the operator's record alone: whatever a tenant writes
 * (the output Secret, its annotations, status) is never evidence.
 */
class DeciderTest {
  static final String NS = "team-a";
  static final String UID = "uid-ours";
  static final String USER = "k8s.team-a.viz";
  static final String POLICY = "s3i-k8s.team-a.viz";
  static final String STORE = "ClusterS3Store/minio-prod";
  static final String KEY = "recorded-key-0123456789012345678901234";
  static final String NEW_KEY = "fresh-key-012345678901234567890123456789";
  static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  static final Long GEN = 3L;

  static final String DOC =
      PolicyDocument.render(new ReadGrant(List.of(BucketGrant.wholeBucket("media")), null));
  static final String OTHER_DOC =
      PolicyDocument.render(new ReadGrant(List.of(BucketGrant.wholeBucket("other")), null));

  static final OwnershipRecord OURS = new OwnershipRecord(UID, NS, "viz", STORE, USER, POLICY, KEY);
  static final OwnershipRecord THEIRS =
      new OwnershipRecord("uid-theirs", "team-b", "other", STORE, USER, POLICY, "their-key");

  static S3Integration integration() {
    S3Integration i =
        Fixtures.managed(NS, "viz", new StoreRef(StoreKind.ClusterS3Store, "minio-prod"), "read");
    i.getMetadata().setUid(UID);
    return i;
  }

  /** The platform store: prefix k8s., team=vision may read media and vision-*. */
  static ResolvedStore store() {
    var s =
        Fixtures.clusterStore(
            "minio-prod",
            "minio.local",
            9000,
            "minio-admin",
            Fixtures.allow(Map.of("team", "vision"), "media", "vision-*"));
    s.getSpec().getAdmin().setUserPrefix("k8s.");
    return new ResolvedStore(StoreKind.ClusterS3Store, "minio-prod", null, s.getSpec(), "s3-op");
  }

  static IntegrationModel model(String grantedBucket, Map<String, String> namespaceLabels) {
    S3Integration i = integration();
    Optional<S3AccessPolicy> policy =
        grantedBucket == null
            ? Optional.empty()
            : Optional.of(Fixtures.policy(NS, "read", grantedBucket));
    ResolvedStore store = store();
    return IntegrationModel.from(
        i,
        store,
        StoreAccess.of(store.kind(), store.spec(), namespaceLabels),
        name -> policy,
        OperatorConfig.defaults());
  }

  static IntegrationModel model() {
    return model("media", Map.of("team", "vision"));
  }

  /** An output Secret holding this key for this access key. */
  static Secret output(String accessKey, String secretKey) {
    return ResolvedConfigSecret.build(
        integration(),
        "viz-s3",
        new ResolvedConfig(
            accessKey,
            secretKey,
            "http://minio.local:9000",
            "us-east-1",
            "minio.local",
            9000,
            "path",
            null,
            null,
            null,
            "/var/run/s3-integration"),
        Map.of());
  }

  static Optional<MinioUser> user(boolean enabled, String... policies) {
    return Optional.of(new MinioUser(USER, enabled, List.of(policies)));
  }

  static Observation seen(
      Secret output,
      OwnershipRecord record,
      Optional<MinioUser> user,
      Boolean authenticates,
      String policy) {
    return new Observation(
        output, Optional.ofNullable(record), user, authenticates, Optional.ofNullable(policy));
  }

  /** Everything in place: our record, user, policy and Secret. */
  static Observation steady() {
    return seen(output(USER, KEY), OURS, user(true, POLICY), true, DOC);
  }

  static S3IntegrationStatus noStatus() {
    return new S3IntegrationStatus();
  }

  /** A status verified a minute ago for this generation. */
  static S3IntegrationStatus verifiedRecently() {
    S3IntegrationStatus s = new S3IntegrationStatus();
    s.setObservedGeneration(GEN);
    s.setLastVerifiedTime(NOW.minusSeconds(60).toString());
    s.setConditions(
        new Conditions(Clock.fixed(NOW, ZoneOffset.UTC))
            .set(
                List.of(),
                ConditionTypes.ACCESS_VERIFIED,
                Conditions.TRUE,
                Reasons.VERIFIED,
                "ok",
                GEN));
    return s;
  }

  static Decision decide(Observation o, S3IntegrationStatus previous) {
    return decide(model(), o, previous);
  }

  static Decision decide(IntegrationModel m, Observation o, S3IntegrationStatus previous) {
    return Decider.managed(m, o, previous, GEN, NOW, () -> NEW_KEY);
  }

  static Decision.Plan plan(Decision d) {
    assertThat(d).isInstanceOf(Decision.Plan.class);
    return (Decision.Plan) d;
  }

  static Decision.Conflict conflict(Decision d) {
    assertThat(d).isInstanceOf(Decision.Conflict.class);
    return (Decision.Conflict) d;
  }

  static final Change SECRET = new Change.WriteSecret();
  static final String SECRET_NAME = "viz-s3";
  static final Change CREATE = new Change.CreateUser(USER, KEY);
  static final Change CREATE_FRESH = new Change.CreateUser(USER, NEW_KEY);
  static final Change RESET = new Change.ResetUser(USER, KEY, SECRET_NAME);
  static final Change PUT_NEW = new Change.PutPolicy(POLICY, DOC, false);
  static final Change PUT_OVER = new Change.PutPolicy(POLICY, DOC, true);
  static final Change ATTACH = new Change.AttachPolicy(USER, POLICY);
  static final Change RECORD =
      new Change.WriteRecord(
          new OwnershipRecord(UID, NS, "viz", STORE, USER, POLICY, NEW_KEY, NOW));

  @Nested
  class Ownership {
    @Test
    void theUserNameIsDerivedUnderTheStoresPrefixNeverChosen() {
      assertThat(model().userName()).isEqualTo(USER);
      assertThat(model().identity().policyName()).isEqualTo(POLICY);
    }

    @Test
    void newIntegrationRecordsFirstThenCreatesThenWritesTheSecretLast() {
      Decision.Plan p = plan(decide(seen(null, null, Optional.empty(), null, null), noStatus()));
      assertThat(p.actions()).containsExactly(RECORD, CREATE_FRESH, PUT_NEW, ATTACH, SECRET);
      assertThat(p.secretKey()).isEqualTo(NEW_KEY);
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
      assertThat(p.withdrawn()).isNull();
    }

    @Test
    void steadyStateWritesNothingButTheSecretCheck() {
      Decision.Plan p = plan(decide(steady(), verifiedRecently()));
      assertThat(p.actions()).containsExactly(SECRET); // a no-op unless the Secret drifted
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.newKey()).isFalse();
      assertThat(p.verify()).isFalse();
    }

    @Test
    void disabledUserIsResetToTheRecordedKey() {
      Observation o = seen(output(USER, KEY), OURS, user(false, POLICY), null, DOC);
      Decision.Plan p = plan(decide(o, verifiedRecently()));
      assertThat(p.actions()).containsExactly(RESET, SECRET);
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.verify()).isTrue();
    }

    @Test
    void keyChangedOnTheServerIsResetToTheRecordedKey() {
      Observation o = seen(output(USER, KEY), OURS, user(true, POLICY), false, DOC);
      assertThat(plan(decide(o, noStatus())).actions()).containsExactly(RESET, SECRET);
    }

    @Test
    void anExistingUserWithoutOurRecordIsNeverTakenOver() {
      Observation o = seen(null, null, user(true, "readwrite"), null, null);
      Decision.Conflict c = conflict(decide(o, noStatus()));
      assertThat(c.type()).isEqualTo(ConditionTypes.CREDENTIALS_READY);
      assertThat(c.reason()).isEqualTo(Reasons.USER_CONFLICT);
      assertThat(c.message()).contains("\"" + USER + "\"").contains("no record");
    }

    @Test
    void aRecordOfAnotherIntegrationIsAConflictThatDoesNotSayWhose() {
      Observation o = seen(null, THEIRS, user(true, POLICY), null, DOC);
      Decision.Conflict c = conflict(decide(o, noStatus()));
      assertThat(c.reason()).isEqualTo(Reasons.USER_CONFLICT);
      // the name is taken; whose it is (another tenant's namespace and name) is not told
      assertThat(c.message()).contains("\"" + USER + "\"").contains("is taken");
      assertThat(c.message()).doesNotContain("team-b").doesNotContain("/other");
    }

    @Test
    void aDeletedOutputSecretIsRecreatedWithTheRecordedKey() {
      Observation o = seen(null, OURS, user(true, POLICY), true, DOC);
      Decision.Plan p = plan(decide(o, verifiedRecently()));
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.verify()).isTrue();
    }

    @Test
    void aKeyEditedIntoTheOutputSecretIsRestoredNotPushedToTheStorage() {
      Observation o =
          seen(output(USER, "chosen-by-the-tenant"), OURS, user(true, POLICY), true, DOC);
      Decision.Plan p = plan(decide(o, verifiedRecently()));
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.secretKey()).isEqualTo(KEY);
    }

    @Test
    void anOutputSecretForgedToNameAnotherUserChangesNothing() {
      Observation o =
          seen(output("victim", "chosen-by-the-tenant"), OURS, user(true, POLICY), true, DOC);
      Decision.Plan p = plan(decide(o, verifiedRecently()));
      assertThat(p.accessKey()).isEqualTo(USER);
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.actions()).containsExactly(SECRET);
    }

    @Test
    void claimsInStatusAreNotEvidence() {
      S3IntegrationStatus forged = verifiedRecently();
      forged.setUserName("victim");
      forged.setPolicyName("s3i-victim");
      assertThat(plan(decide(steady(), forged)).actions()).containsExactly(SECRET);
      // And without a record, a status claim does not make an existing user ours.
      Observation noRecord = seen(null, null, user(true, POLICY), null, DOC);
      S3IntegrationStatus claims = noStatus();
      claims.setUserName(USER);
      claims.setPolicyName(POLICY);
      assertThat(conflict(decide(noRecord, claims)).reason()).isEqualTo(Reasons.USER_CONFLICT);
    }
  }

  @Nested
  class Policies {
    @Test
    void aPolicyOfOurNameWithoutOurRecordIsAConflictEvenWhenEquivalent() {
      Decision.Conflict c =
          conflict(decide(seen(null, null, Optional.empty(), null, DOC), noStatus()));
      assertThat(c.type()).isEqualTo(ConditionTypes.POLICY_APPLIED);
      assertThat(c.reason()).isEqualTo(Reasons.POLICY_CONFLICT);
    }

    @Test
    void ourPolicyEditedByHandIsRewritten() {
      Observation o = seen(output(USER, KEY), OURS, user(true, POLICY), true, OTHER_DOC);
      assertThat(plan(decide(o, noStatus())).actions()).containsExactly(PUT_OVER, SECRET);
    }

    @Test
    void aDetachedPolicyIsAttachedAgain() {
      Observation o = seen(output(USER, KEY), OURS, user(true, "readonly"), true, DOC);
      assertThat(plan(decide(o, noStatus())).actions()).containsExactly(ATTACH, SECRET);
    }

    @Test
    void noGrantsLeftDetachesEverythingDeletesOurPolicyAndStops() {
      Decision.Plan p = plan(decide(model(null, Map.of("team", "vision")), steady(), noStatus()));
      assertThat(p.actions())
          .containsExactly(new Change.DetachAllPolicies(USER), new Change.DeletePolicy(POLICY));
      assertThat(p.withdrawn().reason()).isEqualTo(Reasons.POLICY_NOT_FOUND);
      assertThat(p.withdrawn().message()).contains("not found in this namespace: \"read\"");
    }

    @Test
    void aNewIntegrationWhosePoliciesAreAllMissingCreatesNothing() {
      IntegrationModel m = model(null, Map.of("team", "vision"));
      assertThat(Decider.admission(m, Optional.empty()).orElseThrow().reason())
          .isEqualTo(Reasons.POLICY_NOT_FOUND);
      assertThat(
              conflict(decide(m, seen(null, null, Optional.empty(), null, null), noStatus()))
                  .reason())
          .isEqualTo(Reasons.POLICY_NOT_FOUND);
    }

    @Test
    void aPolicyLargerThanTheStorageAcceptsIsRefusedBeforeAnyWriteAndWithdrawnWhenEstablished() {
      S3AccessPolicy huge = Fixtures.policy(NS, "read", "vision-1");
      List<String> prefixes = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        prefixes.add("p" + i + "/" + "x".repeat(600) + "/");
      }
      huge.getSpec().getBuckets().get(0).setPrefixes(prefixes);
      ResolvedStore store = store();
      IntegrationModel m =
          IntegrationModel.from(
              integration(),
              store,
              StoreAccess.of(store.kind(), store.spec(), Map.of("team", "vision")),
              name -> Optional.of(huge),
              OperatorConfig.defaults());
      assertThat(m.policies().tooLarge()).isTrue();
      assertThat(m.policies().documentBytes()).isGreaterThan(PolicyDocument.MAX_BYTES);
      assertThat(m.policies().document()).isNull();
      Decision.Conflict c = Decider.admission(m, Optional.empty()).orElseThrow();
      assertThat(c.reason()).isEqualTo(Reasons.POLICY_TOO_LARGE);
      assertThat(c.message())
          .contains(String.valueOf(m.policies().documentBytes()))
          .contains("20480");
      // Established: the old, broader document is not kept (fail closed).
      Decision.Plan p = plan(decide(m, steady(), verifiedRecently()));
      assertThat(p.actions())
          .containsExactly(new Change.DetachAllPolicies(USER), new Change.DeletePolicy(POLICY));
      assertThat(p.withdrawn().reason()).isEqualTo(Reasons.POLICY_TOO_LARGE);
    }
  }

  /**
   * What the store allows: answered before any write, and withdrawn when narrowed (fail closed).
   */
  @Nested
  class StoreRules {
    @Test
    void aNamespaceNoRuleMatchesCannotUseTheStore() {
      IntegrationModel m = model("media", Map.of("team", "other"));
      Decision.Conflict c = Decider.admission(m, Optional.empty()).orElseThrow();
      assertThat(c.reason()).isEqualTo(Reasons.STORE_NOT_ALLOWED);
      assertThat(c.message()).contains(STORE);
    }

    @Test
    void aBucketNoRuleAllowsIsRefusedBeforeAnyWrite() {
      IntegrationModel m = model("medical-records", Map.of("team", "vision"));
      Decision.Conflict c = Decider.admission(m, Optional.empty()).orElseThrow();
      assertThat(c.reason()).isEqualTo(Reasons.BUCKET_NOT_ALLOWED);
      assertThat(c.message()).contains("bucket \"medical-records\"");
      assertThat(m.policies().document()).isNull(); // nothing of it would be granted
    }

    /**
     * Issue 21, item 12: a store being deleted takes no new managed integration (its user would
     * outlive the store or keep it); one with our record keeps working until it is deleted.
     */
    @Test
    void aNewManagedIntegrationOnAStoreBeingDeletedIsRefusedBeforeAnyWrite() {
      ResolvedStore s = store();
      ResolvedStore deleting =
          new ResolvedStore(
              s.kind(), s.name(), s.namespace(), s.spec(), s.secretsNamespace(), true);
      IntegrationModel m =
          IntegrationModel.from(
              integration(),
              deleting,
              StoreAccess.of(deleting.kind(), deleting.spec(), Map.of("team", "vision")),
              name -> Optional.of(Fixtures.policy(NS, "read", "media")),
              OperatorConfig.defaults());

      Decision.Conflict c = Decider.admission(m, Optional.empty()).orElseThrow();
      assertThat(c.type()).isEqualTo(ConditionTypes.READY);
      assertThat(c.reason()).isEqualTo(Reasons.STORE_DELETING);
      assertThat(c.message())
          .isEqualTo(
              STORE
                  + " is being deleted and takes no new integrations; nothing was created. Point"
                  + " spec.storeRef at another store");
      assertThat(Decider.admission(m, Optional.of(THEIRS)).orElseThrow().reason())
          .as("another integration's record is no record of ours")
          .isEqualTo(Reasons.STORE_DELETING);

      assertThat(Decider.admission(m, Optional.of(OURS))).as("established").isEmpty();
      Decision.Plan p = plan(decide(m, steady(), verifiedRecently()));
      assertThat(p.withdrawn()).isNull();
      assertThat(p.actions()).containsExactly(new Change.WriteSecret()); // nothing to do: as before
      assertThat(Decider.admission(model(), Optional.empty())).as("not being deleted").isEmpty();
    }

    @Test
    void allowedBucketsPassAdmission() {
      assertThat(Decider.admission(model("vision-1", Map.of("team", "vision")), Optional.empty()))
          .isEmpty();
    }

    @Test
    void aRuleNarrowedUnderAnEstablishedIntegrationWithdrawsItsAccess() {
      IntegrationModel m = model("medical-records", Map.of("team", "vision"));
      assertThat(Decider.admission(m, Optional.of(OURS))).isEmpty(); // established: go on
      Decision.Plan p = plan(decide(m, steady(), verifiedRecently()));
      assertThat(p.actions())
          .containsExactly(new Change.DetachAllPolicies(USER), new Change.DeletePolicy(POLICY));
      assertThat(p.withdrawn().reason()).isEqualTo(Reasons.BUCKET_NOT_ALLOWED);
      assertThat(p.verify()).isFalse();
    }

    @Test
    void aNamespaceNoLongerAllowedLosesEverything() {
      IntegrationModel m = model("media", Map.of("team", "other"));
      Decision.Plan p = plan(decide(m, steady(), verifiedRecently()));
      assertThat(p.actions())
          .containsExactly(new Change.DetachAllPolicies(USER), new Change.DeletePolicy(POLICY));
      assertThat(p.withdrawn().reason()).isEqualTo(Reasons.STORE_NOT_ALLOWED);
    }
  }

  /** A crash between any two actions: the next reconcile finishes the rest with the same key. */
  @Nested
  class CrashPoints {
    @Test
    void afterTheRecordBeforeTheUser() {
      Decision.Plan p = plan(decide(seen(null, OURS, Optional.empty(), null, null), noStatus()));
      assertThat(p.actions()).containsExactly(CREATE, PUT_NEW, ATTACH, SECRET);
      assertThat(p.secretKey()).isEqualTo(KEY);
    }

    @Test
    void afterTheUserBeforeThePolicy() {
      Decision.Plan p = plan(decide(seen(null, OURS, user(true), true, null), noStatus()));
      assertThat(p.actions()).containsExactly(PUT_NEW, ATTACH, SECRET);
      assertThat(p.secretKey()).isEqualTo(KEY);
    }

    @Test
    void afterThePolicyBeforeTheAttachment() {
      assertThat(plan(decide(seen(null, OURS, user(true), true, DOC), noStatus())).actions())
          .containsExactly(ATTACH, SECRET);
    }

    @Test
    void afterTheAttachmentBeforeTheSecret() {
      assertThat(
              plan(decide(seen(null, OURS, user(true, POLICY), true, DOC), noStatus())).actions())
          .containsExactly(SECRET);
    }

    @Test
    void afterDetachingBeforeDeletingThePolicy() {
      Observation o = seen(output(USER, KEY), OURS, user(true), true, DOC);
      assertThat(plan(decide(model(null, Map.of("team", "vision")), o, noStatus())).actions())
          .containsExactly(new Change.DeletePolicy(POLICY));
    }
  }

  @Nested
  class ValidateOnly {
    static final InputSecrets.KeyPair GIVEN = new InputSecrets.KeyPair("AKIAORACLE", "given-key");

    IntegrationModel validateOnly(Map<String, String> labels) {
      S3Integration i = Fixtures.validateOnly(NS, "oracle", "oracle", "oracle-keys", "media");
      i.getSpec().setStoreRef(new StoreRef(StoreKind.ClusterS3Store, "minio-prod"));
      ResolvedStore s = store();
      return IntegrationModel.from(
          i,
          s,
          StoreAccess.of(s.kind(), s.spec(), labels),
          n -> Optional.empty(),
          OperatorConfig.defaults());
    }

    @Test
    void givenKeysGoIntoTheSecretAndAreVerified() {
      Decision.Plan p =
          plan(
              Decider.validateOnly(
                  validateOnly(Map.of("team", "vision")),
                  Observation.of(null),
                  GIVEN,
                  noStatus(),
                  GEN,
                  NOW));
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.accessKey()).isEqualTo("AKIAORACLE");
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
    }

    @Test
    void unchangedGivenKeysNeedNoVerificationBeforeTheInterval() {
      Observation o = Observation.of(output("AKIAORACLE", "given-key"));
      Decision.Plan p =
          plan(
              Decider.validateOnly(
                  validateOnly(Map.of("team", "vision")), o, GIVEN, verifiedRecently(), GEN, NOW));
      assertThat(p.newKey()).isFalse();
      assertThat(p.verify()).isFalse();
    }

    @Test
    void rotatedGivenKeysAreVerifiedAtOnce() {
      Observation o = Observation.of(output("AKIAORACLE", "old-key"));
      Decision.Plan p =
          plan(
              Decider.validateOnly(
                  validateOnly(Map.of("team", "vision")), o, GIVEN, verifiedRecently(), GEN, NOW));
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
    }

    @Test
    void aScopeBucketTheStoreDoesNotAllowIsRefused() {
      IntegrationModel m = validateOnly(Map.of("team", "other"));
      assertThat(Decider.admission(m, Optional.empty()).orElseThrow().reason())
          .isEqualTo(Reasons.STORE_NOT_ALLOWED);
    }
  }

  @Nested
  class Verification {
    IntegrationModel m = model();

    @Test
    void notDueWithinTheInterval() {
      assertThat(Decider.verificationDue(verifiedRecently(), GEN, NOW, m, false)).isFalse();
    }

    @Test
    void dueOnceTheIntervalHasPassed() {
      assertThat(
              Decider.verificationDue(
                  verifiedRecently(), GEN, NOW.plus(m.schedule().interval()), m, false))
          .isTrue();
    }

    @Test
    void dueForANewGenerationOrAfterAFailureOrAChange() {
      assertThat(Decider.verificationDue(verifiedRecently(), GEN + 1, NOW, m, false)).isTrue();
      assertThat(Decider.verificationDue(verifiedRecently(), GEN, NOW, m, true)).isTrue();
      S3IntegrationStatus failed = verifiedRecently();
      failed.setConditions(
          new Conditions(Clock.systemUTC())
              .set(
                  List.of(),
                  ConditionTypes.ACCESS_VERIFIED,
                  Conditions.FALSE,
                  Reasons.NO_SUCH_BUCKET,
                  "no",
                  GEN));
      assertThat(Decider.verificationDue(failed, GEN, NOW, m, false))
          .as("a failure verified a minute ago: a sixth of 10m has not passed")
          .isFalse();
      assertThat(Decider.verificationDue(failed, GEN, NOW.plusSeconds(41), m, false))
          .as("a sixth of the interval after a failure")
          .isTrue();
      assertThat(Decider.verificationDue(noStatus(), GEN, NOW, m, false)).isTrue();
    }

    @Test
    void aFailingVerificationIsRepeatedAfterASixthOfTheIntervalButNotWithinTenSeconds() {
      assertThat(VerificationSchedule.failingRecheck(Duration.ofMinutes(10)))
          .isEqualTo(Duration.ofSeconds(100));
      assertThat(VerificationSchedule.failingRecheck(Duration.ofMinutes(1)))
          .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void intervalsOutsideOneMinuteToADayAreInvalid() {
      for (String bad : List.of("59s", "25h", "9223372036854775807h")) {
        S3Integration i = integration();
        var v = new dev.integrations.s3.api.v1alpha1.VerificationSpec();
        v.setInterval(bad);
        i.getSpec().setVerification(v);
        assertThat(IntegrationSpecs.problems(i.getSpec()))
            .as(bad)
            .singleElement()
            .asString()
            .contains(bad);
      }
    }

    /** The model of an integration annotated {@code s3.integrations.dev/verify: <value>}. */
    IntegrationModel requesting(String value) {
      IntegrationModel r = model();
      return new IntegrationModel(
          r.identity(),
          r.policies(),
          r.access(),
          r.credentials(),
          new IntegrationModel.Schedule(r.schedule().interval(), r.schedule().rotation(), value));
    }

    @Test
    void aNewVerifyValueIsDueOnceAndNotWithinTenSecondsOfTheLastVerification() {
      S3IntegrationStatus s = verifiedRecently(); // a minute ago
      assertThat(Decider.verificationDue(s, GEN, NOW, requesting("a"), false))
          .as("a value never acted on")
          .isTrue();
      s.setLastVerifyRequest("a");
      assertThat(Decider.verificationDue(s, GEN, NOW, requesting("a"), false))
          .as("the value acted on")
          .isFalse();
      assertThat(Decider.verificationDue(s, GEN, NOW, requesting(null), false))
          .as("the annotation removed")
          .isFalse();
      s.setLastVerifiedTime(NOW.minusSeconds(4).toString());
      assertThat(Decider.verificationDue(s, GEN, NOW, requesting("b"), false))
          .as("4 s after the last verification")
          .isFalse();
      assertThat(VerificationSchedule.requestAllowedAt("b", s)).isEqualTo(NOW.plusSeconds(6));
      assertThat(Decider.verificationDue(s, GEN, NOW.plusSeconds(6), requesting("b"), false))
          .as("10 s after it")
          .isTrue();
      assertThat(VerificationSchedule.requestAllowedAt("a", s)).as("nothing asked").isNull();
      assertThat(Decider.verificationDue(noStatus(), GEN, NOW, requesting("a"), false)).isTrue();
    }

    @Test
    void theNextVerificationIsScheduledAtTheEndOfTheInterval() {
      assertThat(VerificationSchedule.untilNext(verifiedRecently(), Duration.ofMinutes(10), NOW))
          .isEqualTo(Duration.ofMinutes(9));
      assertThat(VerificationSchedule.untilNext(noStatus(), Duration.ofMinutes(10), NOW))
          .isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Nested
  class Deletion {
    S3Integration integration(DeletionPolicy policy) {
      S3Integration i = DeciderTest.integration();
      i.getSpec().setDeletionPolicy(policy);
      return i;
    }

    @Test
    void deleteRemovesTheRecordedUserItsPolicyAndThenTheRecord() {
      assertThat(Decider.cleanup(integration(DeletionPolicy.Delete), OURS))
          .containsExactly(
              new Change.DeleteUser(USER),
              new Change.DeletePolicy(POLICY),
              new Change.DeleteRecord(OURS));
    }

    @Test
    void retainKeepsTheUserButTakesItsGrants() {
      // the keys a tenant saved must not keep reading after the integration is gone
      assertThat(Decider.cleanup(integration(DeletionPolicy.Retain), OURS))
          .containsExactly(new Change.DetachAllPolicies(USER), new Change.DeleteRecord(OURS));
    }

    @Test
    void aRecordOfAnotherIntegrationIsNeverActedOn() {
      assertThat(Decider.cleanup(integration(DeletionPolicy.Delete), THEIRS)).isEmpty();
    }
  }

  @Nested
  class Rotation {
    static final String SA = "S3IOLDOLDOLDOLDOLDOL";
    static final String SA_SECRET = "old-sa-secret-0123456789012345678901234";
    static final String NEW_ID = "S3INEWNEWNEWNEWNEWNE";

    IntegrationModel model(String interval, String token) {
      S3Integration i = DeciderTest.integration();
      if (interval != null) {
        i.getSpec().setRotation(new dev.integrations.s3.api.v1alpha1.RotationSpec(interval, "1h"));
      }
      if (token != null) {
        i.getMetadata()
            .setAnnotations(
                Map.of(dev.integrations.s3.api.v1alpha1.ApiGroup.ROTATE_ANNOTATION, token));
      }
      ResolvedStore store = store();
      return IntegrationModel.from(
          i,
          store,
          StoreAccess.of(store.kind(), store.spec(), Map.of("team", "vision")),
          name -> Optional.of(Fixtures.policy(NS, "read", "media")),
          OperatorConfig.defaults());
    }

    Decision.Plan decide(IntegrationModel m, OwnershipRecord r, Secret output, Boolean saWorks) {
      Observation o =
          new Observation(
              output, Optional.of(r), user(true, POLICY), true, Optional.of(DOC), saWorks);
      return plan(Decider.managed(m, o, verifiedRecently(), GEN, NOW, () -> NEW_KEY, () -> NEW_ID));
    }

    /** Consumers hold service account SA since {@code issued}. */
    OwnershipRecord onServiceAccount(Instant issued) {
      return new OwnershipRecord(
          UID, NS, "viz", STORE, USER, POLICY, KEY, SA, SA_SECRET, issued, null, null, null);
    }

    @Test
    void withoutRotationNothingRotatesAndNothingIsScheduled() {
      Decision.Plan p = decide(model(null, null), OURS, output(USER, KEY), null);
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.wakeAt()).isNull();
      assertThat(p.record()).isEqualTo(OURS);
    }

    @Test
    void theAnnotationRotatesOnceRecordFirstThenTheKeyThenTheSecret() {
      Decision.Plan p = decide(model(null, "2026-11-30"), OURS, output(USER, KEY), null);

      OwnershipRecord rotated =
          new OwnershipRecord(
              UID,
              NS,
              "viz",
              STORE,
              USER,
              POLICY,
              KEY,
              NEW_ID,
              NEW_KEY,
              NOW,
              USER,
              NOW.plusSeconds(3600),
              "2026-11-30");
      assertThat(p.actions())
          .containsExactly(
              new Change.WriteRecord(rotated, true),
              new Change.CreateServiceAccount(
                  USER, NEW_ID, NEW_KEY, NOW.plus(RotationPolicy.MAX_KEY_LIFETIME)),
              SECRET);
      assertThat(p.accessKey()).isEqualTo(NEW_ID);
      assertThat(p.secretKey()).isEqualTo(NEW_KEY);
      assertThat(p.userSecret()).as("the user's own key is not what rotates").isEqualTo(KEY);
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
      assertThat(p.wakeAt()).isEqualTo(NOW.plusSeconds(3600));

      // the same value again, once the overlap is over: nothing more
      OwnershipRecord settled = rotated.withoutPrevious();
      Decision.Plan again =
          decide(model(null, "2026-11-30"), settled, output(NEW_ID, NEW_KEY), true);
      assertThat(again.actions()).containsExactly(SECRET);
    }

    @Test
    void anIntervalRotatesWhenTheKeyIsThatOldAndSaysWhenOtherwise() {
      Instant issued = NOW.minus(java.time.Duration.ofDays(89));
      Decision.Plan notYet =
          decide(model("90d", null), onServiceAccount(issued), output(SA, SA_SECRET), true);
      assertThat(notYet.actions()).containsExactly(SECRET);
      assertThat(notYet.wakeAt()).isEqualTo(issued.plus(java.time.Duration.ofDays(90)));

      Instant old = NOW.minus(java.time.Duration.ofDays(90));
      Decision.Plan due =
          decide(model("90d", null), onServiceAccount(old), output(SA, SA_SECRET), true);
      assertThat(due.actions())
          .filteredOn(a -> a instanceof Change.CreateServiceAccount)
          .containsExactly(
              new Change.CreateServiceAccount(
                  USER,
                  NEW_ID,
                  NEW_KEY,
                  NOW.plus(java.time.Duration.ofDays(90))
                      .plusSeconds(3600)
                      .plus(java.time.Duration.ofDays(1))));
      assertThat(due.record().previousKeyId()).isEqualTo(SA);
    }

    @Test
    void aRecordFromBeforeRotationWithAnIntervalRotatesAtOnce() {
      // keyIssued unknown: the key may be years old
      assertThat(decide(model("90d", null), OURS, output(USER, KEY), true).accessKey())
          .isEqualTo(NEW_ID);
    }

    @Test
    void duringTheOverlapBothKeysStayAndARequestWaitsForItsEnd() {
      OwnershipRecord overlapping =
          onServiceAccount(NOW.minusSeconds(60))
              .rotated(NEW_ID, NEW_KEY, NOW.minusSeconds(60), NOW.plusSeconds(3540), null);
      Decision.Plan p = decide(model(null, "again"), overlapping, output(NEW_ID, NEW_KEY), true);
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.wakeAt()).isEqualTo(NOW.plusSeconds(3540));
      assertThat(p.record()).isEqualTo(overlapping);
    }

    /** A request on a store that spaces requests by {@code spacing} (null: the default). */
    IntegrationModel spaced(String spacing, String token) {
      ResolvedStore store = store();
      var limits = new dev.integrations.s3.api.v1alpha1.StoreRotation();
      limits.setMinRequestInterval(spacing);
      store.spec().setRotation(limits);
      S3Integration i = DeciderTest.integration();
      i.getMetadata()
          .setAnnotations(
              Map.of(dev.integrations.s3.api.v1alpha1.ApiGroup.ROTATE_ANNOTATION, token));
      return IntegrationModel.from(
          i,
          store,
          StoreAccess.of(store.kind(), store.spec(), Map.of("team", "vision")),
          name -> Optional.of(Fixtures.policy(NS, "read", "media")),
          OperatorConfig.defaults());
    }

    /**
     * Issue 21, item 15: a tenant cannot issue a key every 10 s overlap. A request sooner than the
     * store's spacing after the last rotation waits for it, then the latest value is acted on.
     */
    @Test
    void aRequestSoonerThanTheStoresSpacingWaitsThenTheLatestValueRotates() {
      Instant issued = NOW.minus(java.time.Duration.ofMinutes(20)); // the last rotation
      Decision.Plan early =
          decide(spaced("30m", "second"), onServiceAccount(issued), output(SA, SA_SECRET), true);
      assertThat(early.actions()).containsExactly(SECRET);
      assertThat(early.record()).isEqualTo(onServiceAccount(issued));
      assertThat(early.wakeAt()).isEqualTo(issued.plus(java.time.Duration.ofMinutes(30)));

      Instant longAgo = NOW.minus(java.time.Duration.ofMinutes(30));
      Decision.Plan allowed =
          decide(spaced("30m", "third"), onServiceAccount(longAgo), output(SA, SA_SECRET), true);
      assertThat(allowed.accessKey()).isEqualTo(NEW_ID);
      assertThat(allowed.record().rotateToken()).as("the latest value").isEqualTo("third");
      assertThat(allowed.record().previousKeyId()).isEqualTo(SA);
    }

    @Test
    void requestsAreSpacedTenMinutesByDefaultAndNotAtAllWithZero() {
      Instant issued = NOW.minusSeconds(60);
      Decision.Plan byDefault =
          decide(spaced(null, "again"), onServiceAccount(issued), output(SA, SA_SECRET), true);
      assertThat(byDefault.actions()).containsExactly(SECRET);
      assertThat(byDefault.wakeAt()).isEqualTo(issued.plus(java.time.Duration.ofMinutes(10)));
      assertThat(
              decide(spaced("0s", "again"), onServiceAccount(issued), output(SA, SA_SECRET), true)
                  .accessKey())
          .isEqualTo(NEW_ID);
      // the first request, on the user's own key, is never held back
      assertThat(decide(spaced(null, "first"), OURS, output(USER, KEY), null).accessKey())
          .isEqualTo(NEW_ID);
      assertThatThrownBy(() -> spaced("8d", "x"))
          .isInstanceOf(StepFailure.class)
          .hasMessageContaining("store rotation.minRequestInterval must be at most 7d");
      assertThatThrownBy(() -> spaced("1" + "0".repeat(40) + "s", "x"))
          .isInstanceOf(StepFailure.class)
          .hasMessageContaining("store rotation.minRequestInterval");
    }

    @Test
    void afterTheOverlapThePreviousServiceAccountGoesAfterTheSecretThenTheRecord() {
      OwnershipRecord overlapping =
          onServiceAccount(NOW.minusSeconds(7200))
              .rotated(NEW_ID, NEW_KEY, NOW.minusSeconds(3600), NOW, null);
      Decision.Plan p = decide(model(null, null), overlapping, output(NEW_ID, NEW_KEY), true);
      assertThat(p.actions())
          .containsExactly(
              SECRET,
              new Change.DeleteServiceAccount(SA),
              new Change.WriteRecord(overlapping.withoutPrevious(), true));
    }

    @Test
    void afterTheOverlapTheUsersOwnKeyIsReplacedByOneNobodyHolds() {
      OwnershipRecord overlapping =
          OURS.rotated(NEW_ID, "sa-key", NOW.minusSeconds(3600), NOW, "t");
      Decision.Plan p = decide(model(null, "t"), overlapping, output(NEW_ID, "sa-key"), true);
      OwnershipRecord next = overlapping.withoutPrevious().withSecretKey(NEW_KEY);
      assertThat(p.actions())
          .containsExactly(
              new Change.WriteRecord(next, true),
              new Change.ResetUser(USER, NEW_KEY, SECRET_NAME),
              SECRET);
      assertThat(p.userSecret()).isEqualTo(NEW_KEY);
      assertThat(p.secretKey()).as("consumers keep the service account").isEqualTo("sa-key");
    }

    @Test
    void thePreviousKeyIsNeverRetiredWhileTheSecretStillHoldsIt() {
      OwnershipRecord overlapping =
          onServiceAccount(NOW.minusSeconds(7200))
              .rotated(NEW_ID, NEW_KEY, NOW.minusSeconds(3600), NOW, null);
      // the Secret write failed, or someone put the old key back
      Decision.Plan p = decide(model(null, null), overlapping, output(SA, SA_SECRET), true);
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.accessKey()).isEqualTo(NEW_ID);
    }

    @Test
    void crashAfterTheRecordBeforeTheKeyIssuesTheRecordedKey() {
      OwnershipRecord rotated =
          OURS.rotated(NEW_ID, "sa-key", NOW.minusSeconds(5), NOW.plusSeconds(3595), "t");
      // the service account does not exist; the Secret still holds the user's key
      Decision.Plan p = decide(model(null, "t"), rotated, output(USER, KEY), false);
      assertThat(p.actions())
          .containsExactly(
              new Change.ReissueServiceAccount(
                  USER,
                  NEW_ID,
                  "sa-key",
                  NOW.minusSeconds(5).plus(RotationPolicy.MAX_KEY_LIFETIME),
                  SECRET_NAME),
              SECRET);
      assertThat(p.accessKey()).isEqualTo(NEW_ID);
      assertThat(p.secretKey()).isEqualTo("sa-key");
    }

    @Test
    void crashAfterTheKeyBeforeTheSecretWritesTheSecret() {
      OwnershipRecord rotated =
          OURS.rotated(NEW_ID, "sa-key", NOW.minusSeconds(5), NOW.plusSeconds(3595), "t");
      Decision.Plan p = decide(model(null, "t"), rotated, output(USER, KEY), true);
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.newKey()).isTrue();
    }

    @Test
    void crashAfterDeletingThePreviousKeyBeforeTheRecordDeletesAgainAndForgets() {
      OwnershipRecord overlapping =
          onServiceAccount(NOW.minusSeconds(7200))
              .rotated(NEW_ID, NEW_KEY, NOW.minusSeconds(3600), NOW.minusSeconds(1), null);
      Decision.Plan p = decide(model(null, null), overlapping, output(NEW_ID, NEW_KEY), true);
      assertThat(p.actions())
          .containsExactly(
              SECRET,
              new Change.DeleteServiceAccount(SA),
              new Change.WriteRecord(overlapping.withoutPrevious(), true));
    }

    @Test
    void aMissingServiceAccountIsIssuedAgainWithTheRecordedKeyWhileItsBackstopLasts() {
      Decision.Plan p =
          decide(
              model("90d", null),
              onServiceAccount(NOW.minusSeconds(60)),
              output(SA, SA_SECRET),
              false);
      assertThat(p.actions())
          .containsExactly(
              new Change.ReissueServiceAccount(
                  USER,
                  SA,
                  SA_SECRET,
                  NOW.minusSeconds(60).plus(java.time.Duration.ofDays(91)).plusSeconds(3600),
                  SECRET_NAME),
              SECRET);
      assertThat(p.secretKey()).isEqualTo(SA_SECRET);
    }

    @Test
    void deletionRemovesEveryServiceAccountBeforeTheUser() {
      OwnershipRecord overlapping =
          onServiceAccount(NOW.minusSeconds(60))
              .rotated(NEW_ID, NEW_KEY, NOW, NOW.plusSeconds(60), null);
      assertThat(Decider.cleanup(DeciderTest.integration(), overlapping))
          .containsExactly(
              new Change.DeleteServiceAccount(SA),
              new Change.DeleteServiceAccount(NEW_ID),
              new Change.DeleteUser(USER),
              new Change.DeletePolicy(POLICY),
              new Change.DeleteRecord(overlapping));
    }

    @Test
    void rotationIsOnlyForManagedKeysAndWithinBounds() {
      for (String bad : List.of("30m", "351d")) {
        assertThatThrownBy(() -> model(bad, null))
            .isInstanceOf(StepFailure.class)
            .hasMessageContaining("rotation.interval must be between 1h and 350d");
      }
      S3Integration validateOnly = Fixtures.validateOnly(NS, "viz", "minio-prod", "keys", "media");
      validateOnly.getSpec().setStoreRef(new StoreRef(StoreKind.ClusterS3Store, "minio-prod"));
      validateOnly
          .getSpec()
          .setRotation(new dev.integrations.s3.api.v1alpha1.RotationSpec("90d", null));
      ResolvedStore store = store();
      assertThatThrownBy(
              () ->
                  IntegrationModel.from(
                      validateOnly,
                      store,
                      StoreAccess.of(store.kind(), store.spec(), Map.of("team", "vision")),
                      name -> Optional.empty(),
                      OperatorConfig.defaults()))
          .isInstanceOf(StepFailure.class)
          .hasMessageContaining("rotation needs credentials.managed");
    }

    @Test
    void aStoreMaximumCapsTheIntervalAndAppliesWhereNoneIsSet() {
      ResolvedStore store = store();
      var limits = new dev.integrations.s3.api.v1alpha1.StoreRotation();
      limits.setMaxInterval("30d");
      store.spec().setRotation(limits);
      S3Integration i = DeciderTest.integration();
      IntegrationModel none =
          IntegrationModel.from(
              i,
              store,
              StoreAccess.of(store.kind(), store.spec(), Map.of("team", "vision")),
              name -> Optional.of(Fixtures.policy(NS, "read", "media")),
              OperatorConfig.defaults());
      assertThat(none.schedule().rotation().interval()).isEqualTo(java.time.Duration.ofDays(30));
      i.getSpec().setRotation(new dev.integrations.s3.api.v1alpha1.RotationSpec("90d", null));
      assertThatThrownBy(
              () ->
                  IntegrationModel.from(
                      i,
                      store,
                      StoreAccess.of(store.kind(), store.spec(), Map.of("team", "vision")),
                      name -> Optional.of(Fixtures.policy(NS, "read", "media")),
                      OperatorConfig.defaults()))
          .hasMessageContaining("longer than the store allows (rotation.maxInterval 30d)");
    }
  }
}
