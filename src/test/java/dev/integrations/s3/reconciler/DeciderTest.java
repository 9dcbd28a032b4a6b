package dev.integrations.s3.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.DeletionPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3IntegrationStatus;
import dev.integrations.s3.config.OperatorConfig;
import dev.integrations.s3.minio.MinioAdmin.MinioUser;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.secret.ResolvedConfig;
import dev.integrations.s3.secret.ResolvedConfigSecret;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The ownership and ordering rules of a reconcile as a truth table: each test is one row, the
 * observed state in, the decision out. No server is involved; the integration tests show the same
 * rows on a real MinIO.
 */
class DeciderTest {
  static final String NS = "team-a";
  static final String USER = "team-a.viz";
  static final String POLICY = "s3i-team-a.viz";
  static final String KEY = "recorded-key-0123456789012345678901234";
  static final String NEW_KEY = "fresh-key-012345678901234567890123456789";
  static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  static final Long GEN = 3L;

  static final String DOC =
      PolicyDocument.render(new ReadGrant(List.of(BucketGrant.wholeBucket("media")), null));
  static final String OTHER_DOC =
      PolicyDocument.render(new ReadGrant(List.of(BucketGrant.wholeBucket("other")), null));

  static IntegrationModel model() {
    return model(true);
  }

  static IntegrationModel model(boolean withGrants) {
    S3Integration i = Fixtures.managed(NS, "viz", "minio.local", 9000, "minio-admin", "read");
    return IntegrationModel.from(
        i,
        name ->
            withGrants
                ? Optional.of(Fixtures.policy(NS, name, "media"))
                : Optional.<dev.integrations.s3.api.v1alpha1.S3AccessPolicy>empty(),
        OperatorConfig.defaults());
  }

  /** Our output Secret holding this key for the user, with or without the ownership records. */
  static Secret output(String accessKey, String secretKey, boolean annotated) {
    S3Integration owner = Fixtures.managed(NS, "viz", "minio.local", 9000, "minio-admin", "read");
    owner.getMetadata().setUid("uid-1");
    Map<String, String> annotations = new TreeMap<>();
    if (annotated) {
      annotations.put(ResolvedConfigSecret.USER_ANNOTATION, USER);
      annotations.put(ResolvedConfigSecret.POLICY_ANNOTATION, POLICY);
    }
    return ResolvedConfigSecret.build(
        owner,
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
            null),
        annotations);
  }

  static Optional<MinioUser> user(boolean enabled, String... policies) {
    return Optional.of(new MinioUser(USER, enabled, List.of(policies)));
  }

  static S3IntegrationStatus noStatus() {
    return new S3IntegrationStatus();
  }

  static S3IntegrationStatus recorded() {
    S3IntegrationStatus s = new S3IntegrationStatus();
    s.setUserName(USER);
    s.setPolicyName(POLICY);
    return s;
  }

  /** A status verified a minute ago for this generation. */
  static S3IntegrationStatus verifiedRecently() {
    S3IntegrationStatus s = recorded();
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

  static final Action SECRET = new Action.WriteSecret();
  static final Action CREATE = new Action.CreateUser(USER);
  static final Action RESET = new Action.ResetUser(USER);
  static final Action PUT_NEW = new Action.PutPolicy(POLICY, DOC, false);
  static final Action PUT_OVER = new Action.PutPolicy(POLICY, DOC, true);
  static final Action ATTACH = new Action.AttachPolicy(USER, POLICY);

  @Nested
  class Users {
    @Test
    void newIntegrationCreatesEverythingSecretFirstWithAFreshKey() {
      Decision.Plan p =
          plan(decide(new Observation(null, Optional.empty(), null, Optional.empty()), noStatus()));
      assertThat(p.actions()).containsExactly(SECRET, CREATE, PUT_NEW, ATTACH);
      assertThat(p.secretKey()).isEqualTo(NEW_KEY);
      assertThat(p.newKey()).isTrue();
      assertThat(p.policyName()).isEqualTo(POLICY);
      assertThat(p.verify()).isTrue();
    }

    @Test
    void oursByKeyInSteadyStateWritesNothingButTheSecretCheck() {
      Observation o =
          new Observation(output(USER, KEY, true), user(true, POLICY), true, Optional.of(DOC));
      Decision.Plan p = plan(decide(o, verifiedRecently()));
      assertThat(p.actions()).containsExactly(SECRET); // a no-op unless the Secret drifted
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.newKey()).isFalse();
      assertThat(p.verify()).isFalse();
    }

    @Test
    void oursByKeyWithoutAnyRecordIsStillOurs() {
      Observation o =
          new Observation(output(USER, KEY, false), user(true, POLICY), true, Optional.of(DOC));
      assertThat(plan(decide(o, noStatus())).actions()).containsExactly(SECRET);
    }

    @Test
    void disabledUserRecordedInStatusIsResetToTheRecordedKey() {
      Observation o =
          new Observation(output(USER, KEY, false), user(false, POLICY), null, Optional.of(DOC));
      Decision.Plan p = plan(decide(o, recorded()));
      assertThat(p.actions()).containsExactly(SECRET, RESET);
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.verify()).isTrue();
    }

    @Test
    void keyChangedOnTheServerRecordedInTheSecretIsResetToTheRecordedKey() {
      Observation o =
          new Observation(output(USER, KEY, true), user(true, POLICY), false, Optional.of(DOC));
      Decision.Plan p = plan(decide(o, noStatus()));
      assertThat(p.actions()).containsExactly(SECRET, RESET);
      assertThat(p.secretKey()).isEqualTo(KEY);
    }

    @Test
    void foreignUserIsAConflictAndNothingIsWritten() {
      Observation o = new Observation(null, user(true, "readwrite"), null, Optional.empty());
      Decision.Conflict c = conflict(decide(o, noStatus()));
      assertThat(c.type()).isEqualTo(ConditionTypes.CREDENTIALS_READY);
      assertThat(c.reason()).isEqualTo(Reasons.USER_CONFLICT);
      assertThat(c.message()).contains("\"" + USER + "\"").contains("not created by this");
    }

    @Test
    void foreignUserWhoseKeyOurSecretDoesNotHoldIsAConflict() {
      Observation o =
          new Observation(output("someone-else", KEY, false), user(true), null, Optional.empty());
      assertThat(conflict(decide(o, noStatus())).reason()).isEqualTo(Reasons.USER_CONFLICT);
    }

    @Test
    void deletedSecretOfARecordedUserIssuesANewKeyAndResetsTheUser() {
      Observation o = new Observation(null, user(true, POLICY), null, Optional.of(DOC));
      Decision.Plan p = plan(decide(o, verifiedRecently()));
      assertThat(p.actions()).containsExactly(SECRET, RESET);
      assertThat(p.secretKey()).isEqualTo(NEW_KEY);
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
    }
  }

  @Nested
  class Policies {
    @Test
    void foreignPolicyWithAnotherDocumentIsAConflict() {
      Observation o = new Observation(null, Optional.empty(), null, Optional.of(OTHER_DOC));
      Decision.Conflict c = conflict(decide(o, noStatus()));
      assertThat(c.type()).isEqualTo(ConditionTypes.POLICY_APPLIED);
      assertThat(c.reason()).isEqualTo(Reasons.POLICY_CONFLICT);
    }

    @Test
    void ourPolicyEditedByHandIsRewritten() {
      Observation o =
          new Observation(
              output(USER, KEY, true), user(true, POLICY), true, Optional.of(OTHER_DOC));
      assertThat(plan(decide(o, recorded())).actions()).containsExactly(SECRET, PUT_OVER);
    }

    @Test
    void equivalentPolicyWeDidNotRecordIsAdoptedWithoutAWrite() {
      String reordered = DOC.replace("{\"Version\"", "{ \"Version\"");
      Observation o = new Observation(null, Optional.empty(), null, Optional.of(reordered));
      assertThat(plan(decide(o, noStatus())).actions()).containsExactly(SECRET, CREATE, ATTACH);
    }

    @Test
    void detachedPolicyIsAttachedAgain() {
      Observation o =
          new Observation(output(USER, KEY, true), user(true, "readonly"), true, Optional.of(DOC));
      assertThat(plan(decide(o, recorded())).actions()).containsExactly(SECRET, ATTACH);
    }

    @Test
    void noGrantsLeftDetachesEverythingAndDeletesOurPolicy() {
      Observation o =
          new Observation(output(USER, KEY, true), user(true, POLICY), true, Optional.of(DOC));
      Decision.Plan p = plan(decide(model(false), o, recorded()));
      assertThat(p.actions())
          .containsExactly(
              SECRET, new Action.DetachAllPolicies(USER), new Action.DeletePolicy(POLICY));
      assertThat(p.policyName()).isEqualTo(POLICY);
    }

    @Test
    void noGrantsAndAForeignPolicyOfOurNameLeavesThatPolicyAlone() {
      Observation o = new Observation(null, Optional.empty(), null, Optional.of(OTHER_DOC));
      Decision.Plan p = plan(decide(model(false), o, noStatus()));
      assertThat(p.actions()).containsExactly(SECRET, CREATE);
      assertThat(p.policyName()).isNull();
    }
  }

  /** A crash between any two actions: the next reconcile finishes the rest with the same key. */
  @Nested
  class CrashPoints {
    @Test
    void afterTheSecretBeforeTheUser() {
      Observation o =
          new Observation(output(USER, KEY, true), Optional.empty(), null, Optional.empty());
      Decision.Plan p = plan(decide(o, noStatus()));
      assertThat(p.actions()).containsExactly(SECRET, CREATE, PUT_NEW, ATTACH);
      assertThat(p.secretKey()).isEqualTo(KEY);
      assertThat(p.newKey()).isFalse();
    }

    @Test
    void afterTheUserBeforeThePolicy() {
      Observation o = new Observation(output(USER, KEY, true), user(true), true, Optional.empty());
      Decision.Plan p = plan(decide(o, noStatus()));
      assertThat(p.actions()).containsExactly(SECRET, PUT_NEW, ATTACH);
      assertThat(p.secretKey()).isEqualTo(KEY);
    }

    @Test
    void afterThePolicyBeforeTheAttachment() {
      Observation o = new Observation(output(USER, KEY, true), user(true), true, Optional.of(DOC));
      assertThat(plan(decide(o, noStatus())).actions()).containsExactly(SECRET, ATTACH);
    }

    @Test
    void afterAResetBeforeTheAttachment() {
      Observation o = new Observation(output(USER, KEY, true), user(true), true, Optional.of(DOC));
      assertThat(plan(decide(o, recorded())).actions()).containsExactly(SECRET, ATTACH);
    }

    @Test
    void afterDetachingBeforeDeletingThePolicy() {
      Observation o = new Observation(output(USER, KEY, true), user(true), true, Optional.of(DOC));
      assertThat(plan(decide(model(false), o, recorded())).actions())
          .containsExactly(SECRET, new Action.DeletePolicy(POLICY));
    }
  }

  @Nested
  class ValidateOnly {
    static final InputSecrets.KeyPair GIVEN = new InputSecrets.KeyPair("AKIAORACLE", "given-key");

    IntegrationModel validateOnly() {
      return IntegrationModel.from(
          Fixtures.validateOnly(NS, "oracle", "objectstorage.local", 443, "oracle-keys", "media"),
          n -> Optional.empty(),
          OperatorConfig.defaults());
    }

    @Test
    void givenKeysGoIntoTheSecretAndAreVerified() {
      Decision.Plan p =
          Decider.validateOnly(validateOnly(), Observation.of(null), GIVEN, noStatus(), GEN, NOW);
      assertThat(p.actions()).containsExactly(SECRET);
      assertThat(p.accessKey()).isEqualTo("AKIAORACLE");
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
    }

    @Test
    void unchangedGivenKeysNeedNoVerificationBeforeTheInterval() {
      Observation o = Observation.of(output("AKIAORACLE", "given-key", false));
      Decision.Plan p =
          Decider.validateOnly(validateOnly(), o, GIVEN, verifiedRecently(), GEN, NOW);
      assertThat(p.newKey()).isFalse();
      assertThat(p.verify()).isFalse();
    }

    @Test
    void rotatedGivenKeysAreVerifiedAtOnce() {
      Observation o = Observation.of(output("AKIAORACLE", "old-key", false));
      Decision.Plan p =
          Decider.validateOnly(validateOnly(), o, GIVEN, verifiedRecently(), GEN, NOW);
      assertThat(p.newKey()).isTrue();
      assertThat(p.verify()).isTrue();
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
      assertThat(Decider.verificationDue(verifiedRecently(), GEN, NOW.plus(m.interval()), m, false))
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
      assertThat(Decider.verificationDue(failed, GEN, NOW, m, false)).isTrue();
      assertThat(Decider.verificationDue(noStatus(), GEN, NOW, m, false)).isTrue();
    }

    @Test
    void theNextVerificationIsScheduledAtTheEndOfTheInterval() {
      assertThat(Verifier.untilNext(verifiedRecently(), Duration.ofMinutes(10), NOW))
          .isEqualTo(Duration.ofMinutes(9));
      assertThat(Verifier.untilNext(noStatus(), Duration.ofMinutes(10), NOW))
          .isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Nested
  class Deletion {
    S3Integration integration(DeletionPolicy policy, S3IntegrationStatus status) {
      S3Integration i = Fixtures.managed(NS, "viz", "minio.local", 9000, "minio-admin", "read");
      i.getSpec().setDeletionPolicy(policy);
      i.setStatus(status);
      return i;
    }

    @Test
    void deleteRemovesTheRecordedUserAndPolicy() {
      assertThat(
              Decider.cleanup(integration(DeletionPolicy.Delete, recorded()), Observation.of(null)))
          .containsExactly(new Action.DeleteUser(USER), new Action.DeletePolicy(POLICY));
    }

    @Test
    void retainRemovesNothing() {
      assertThat(
              Decider.cleanup(integration(DeletionPolicy.Retain, recorded()), Observation.of(null)))
          .isEmpty();
    }

    @Test
    void aCrashBeforeStatusWasWrittenIsCoveredByTheSecretsRecords() {
      assertThat(
              Decider.cleanup(
                  integration(DeletionPolicy.Delete, null),
                  Observation.of(output(USER, KEY, true))))
          .containsExactly(new Action.DeleteUser(USER), new Action.DeletePolicy(POLICY));
    }

    @Test
    void nothingRecordedMeansNothingToRemove() {
      assertThat(Decider.cleanup(integration(DeletionPolicy.Delete, null), Observation.of(null)))
          .isEmpty();
    }

    @Test
    void validateOnlyNeverTouchesTheStorage() {
      S3Integration i =
          Fixtures.validateOnly(NS, "oracle", "objectstorage.local", 443, "oracle-keys", "media");
      i.setStatus(recorded());
      assertThat(Decider.cleanup(i, Observation.of(null))).isEmpty();
    }
  }
}
