package dev.integrations.s3.controller.integration.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.integration.plan.UserNameOverlap.Store;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.minio.MinioNames;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, item 13: an integration is refused when its MinIO user can also be derived on an older
 * store of the same endpoint for a namespace that store serves now, and only then.
 */
class UserNameOverlapTest {
  static final String OLD = "2026-01-01T00:00:00Z";
  static final String NEW = "2026-12-01T00:00:00Z";

  /** A store that serves exactly these namespaces. */
  static Store store(String id, String prefix, String created, String... serves) {
    Set<String> served = Set.of(serves);
    return new Store(id, prefix, created, served::contains);
  }

  /** The refusal of namespace/name on {@code own}, its user derived as the operator does. */
  static Optional<StepFailure> refusal(
      Store own, String namespace, String name, List<String> namespaces, Store... others) {
    return UserNameOverlap.refusal(
        MinioNames.userName(own.userPrefix(), namespace, name),
        namespace,
        name,
        own,
        List.of(others),
        () -> namespaces);
  }

  static Optional<StepFailure> refusal(Store own, String namespace, String name, Store... others) {
    return refusal(own, namespace, name, List.of(), others);
  }

  @Nested
  class PrefixesThatStartAlike {
    final Store platform = store("ClusterS3Store/minio", "k8s.", OLD, "team-a");
    final Store platformNotServingTeamA = store("ClusterS3Store/minio", "k8s.", OLD, "team-b");
    final Store tenants = store("S3Store/x/own", "k8s.team-a.", NEW, "x");

    @Test
    void theNewerStoresIntegrationIsRefusedWhenTheOlderServesTheNamespace() {
      // k8s.team-a. + x/y = k8s.team-a.x.y = k8s. + team-a/x.y
      assertThat(refusal(tenants, "x", "y", platform))
          .hasValueSatisfying(
              f -> {
                assertThat(f.reason).isEqualTo(Reasons.USER_NAME_OVERLAP);
                assertThat(f.type).isEqualTo(ConditionTypes.CREDENTIALS_READY);
                assertThat(f.retry).isFalse();
                assertThat(f.getMessage())
                    .isEqualTo(
                        "MinIO user \"k8s.team-a.x.y\", the name this integration gets on"
                            + " S3Store/x/own, can also be derived by another store on the same"
                            + " endpoint for a namespace it serves, so two integrations could"
                            + " claim one user; nothing is created or changed. Give S3Store/x/own"
                            + " an admin.userPrefix that neither starts with another store's"
                            + " prefix on this endpoint nor is the start of one")
                    .doesNotContain("ClusterS3Store/minio")
                    .doesNotContain("\"k8s.\"");
              });
    }

    @Test
    void noCollisionWhenTheOlderDoesNotServeTheNamespace() {
      assertThat(refusal(tenants, "x", "y", platformNotServingTeamA)).isEmpty();
    }

    @Test
    void theOlderStoresIntegrationIsNeverRefused() {
      Store tenantsServingTeamA = store("S3Store/team-a/own", "k8s.team-a.", NEW, "x");
      assertThat(refusal(platform, "team-a", "x.y", tenants, tenantsServingTeamA)).isEmpty();
    }

    /** A tenant may edit an old S3Store's prefix to overlap: the platform's store still wins. */
    @Test
    void aTenantsStoreYieldsToThePlatformsWhateverTheirAges() {
      Store oldTenants = store("S3Store/x/own", "k8s.team-a.", OLD, "x");
      Store newPlatform = store("ClusterS3Store/minio-2", "k8s.", NEW, "team-a");
      assertThat(refusal(newPlatform, "team-a", "x.y", oldTenants)).isEmpty();
      assertThat(refusal(oldTenants, "x", "y", newPlatform)).isPresent();
    }

    @Test
    void aTieInCreationTimeGoesAgainstTheLaterId() {
      Store sameTime = store("S3Store/x/own", "k8s.team-a.", OLD, "x");
      assertThat(refusal(sameTime, "x", "y", platform)).isPresent();
      Store platformSameTime = store("ClusterS3Store/minio", "k8s.", OLD, "team-a");
      Store laterIdOld = store("S3Store/team-a/z", "k8s.team-a.", OLD, "x");
      assertThat(refusal(platformSameTime, "team-a", "x.y", laterIdOld)).isEmpty();
    }

    @Test
    void anotherTeamsPrefixDoesNotOverlap() {
      Store tenantsElsewhere = store("S3Store/x/own", "k8s.team-b.", NEW, "x");
      assertThat(refusal(tenantsElsewhere, "x", "y", platform)).isEmpty();
    }

    @Test
    void theSamePrefixOrTheStoreItselfIsNoOverlap() {
      Store samePrefix = store("ClusterS3Store/again", "k8s.team-a.", OLD, "x");
      assertThat(refusal(tenants, "x", "y", samePrefix)).isEmpty();
      Store itselfOlder = store("S3Store/x/own", "", OLD, "k8s");
      assertThat(refusal(tenants, "x", "y", itselfOlder)).isEmpty();
    }
  }

  @Nested
  class AnEmptyPrefixBesideAnother {
    // the demo's and the suite's stores: k8s. beside a store without a prefix on one MinIO

    @Test
    void collidesOnlyWhenTheEmptyPrefixServesANamespaceNamedLikeTheOthersFirstLabel() {
      Store plain = store("S3Store/demo/plain", "", OLD, "demo");
      Store plainServingK8s = store("ClusterS3Store/plain", "", OLD, "k8s");
      Store k8s = store("ClusterS3Store/k8s", "k8s.", NEW, "team-a", "demo");
      assertThat(refusal(k8s, "team-a", "x", plain)).isEmpty();
      assertThat(refusal(k8s, "demo", "viz", plain)).isEmpty();
      // k8s. + team-a/x = k8s.team-a.x = "" + k8s/team-a.x
      assertThat(refusal(k8s, "team-a", "x", plainServingK8s)).isPresent();
    }

    @Test
    void theOtherWayRoundTheNewerEmptyPrefixIsRefusedForANamespaceNamedK8s() {
      Store k8s = store("ClusterS3Store/k8s", "k8s.", OLD, "team-a");
      Store plain = store("S3Store/k8s/plain", "", NEW, "k8s");
      // "" + k8s/team-a.x = k8s.team-a.x = k8s. + team-a/x
      assertThat(refusal(plain, "k8s", "team-a.x", k8s)).isPresent();
      assertThat(refusal(plain, "k8s", "team-a", k8s))
          .as("k8s.team-a: no dot after team-a")
          .isEmpty();
      assertThat(refusal(plain, "demo", "team-a.x", k8s)).isEmpty();
    }
  }

  @Nested
  class PrefixesWithoutADot {
    @Test
    void k8sDashAndK8sDashTeamCollideForANamespaceTheShorterServes() {
      // k8s-team + a/b = k8s-teama.b = k8s- + teama/b: namespaces are DNS labels, teama is one
      Store shorter = store("ClusterS3Store/dash", "k8s-", OLD, "teama");
      Store longer = store("S3Store/a/team", "k8s-team", NEW, "a");
      assertThat(refusal(longer, "a", "b", shorter)).isPresent();
      assertThat(refusal(longer, "a", "b", store("ClusterS3Store/dash", "k8s-", OLD, "a")))
          .isEmpty();
    }

    @Test
    void aRemainderWithoutANamespaceCannotCollide() {
      // k8s- + team/x = k8s-team.x; after k8s-team comes ".x": no namespace is empty
      Store longer = new Store("ClusterS3Store/team", "k8s-team", OLD, ns -> true);
      Store shorter = store("S3Store/team/dash", "k8s-", NEW, "team");
      assertThat(refusal(shorter, "team", "x", longer)).isEmpty();
      // nor with a namespace name that is not one: k8s-team-a.x would need namespace "-a"
      assertThat(refusal(shorter, "team-a", "x", store("ClusterS3Store/team", "k8s-team", OLD)))
          .isEmpty();
    }
  }

  @Nested
  class HashedNames {
    static final String LONG = "a-very-long-integration-name-that-makes-the-user-hashed-0123";

    @Test
    void aHashedUserCollidesWhereTheHashedInputIsTheSame() {
      // k8s. + team-a/LONG and k8s.team- + a/LONG hash the same string, k8s.team-a/LONG
      Store older = store("ClusterS3Store/team", "k8s.team-", OLD, "a");
      Store newer = store("ClusterS3Store/k8s", "k8s.", NEW, "team-a");
      String user = MinioNames.userName("k8s.", "team-a", LONG);
      assertThat(user).hasSize(64).isEqualTo(MinioNames.userName("k8s.team-", "a", LONG));
      assertThat(refusal(newer, "team-a", LONG, older)).isPresent();
      assertThat(refusal(newer, "team-a", LONG, store("ClusterS3Store/team", "k8s.team-", OLD)))
          .isEmpty();
    }

    @Test
    void aHashedUserWhoseNamespaceWasCutOffIsCheckedExactly() {
      String ns = "team-" + "n".repeat(55); // the dot after it lies beyond the hash's cut
      Store older = store("ClusterS3Store/team", "k8s.team-", OLD, "n".repeat(55));
      Store newer = store("ClusterS3Store/k8s", "k8s.", NEW, ns);
      assertThat(MinioNames.userName("k8s.", ns, "x")).hasSize(64).doesNotContain(ns + ".");
      assertThat(refusal(newer, ns, "x", older)).isPresent();
      Store servesAnother = store("ClusterS3Store/team", "k8s.team-", OLD, "n".repeat(54));
      assertThat(refusal(newer, ns, "x", List.of("n".repeat(54)), servesAnother)).isEmpty();
    }

    @Test
    void aHashedUserWhoseDotSurvivedIsAnUnhashedNameOnTheOther() {
      // k8s. + team-a/x.LONG is cut and hashed; k8s.team-a. derives the very same 64 characters
      // unhashed for x/<the rest>, a name a tenant of x may choose
      String name = "x." + LONG;
      String user = MinioNames.userName("k8s.", "team-a", name);
      String rest = user.substring("k8s.team-a.x.".length());
      assertThat(MinioNames.userName("k8s.team-a.", "x", rest)).isEqualTo(user);
      Store older = store("ClusterS3Store/team-a", "k8s.team-a.", OLD, "x");
      Store newer = store("ClusterS3Store/k8s", "k8s.", NEW, "team-a");
      assertThat(refusal(newer, "team-a", name, older)).isPresent();
      assertThat(
              refusal(
                  newer, "team-a", name, store("ClusterS3Store/team-a", "k8s.team-a.", OLD, "y")))
          .isEmpty();
    }

    @Test
    void aHashedUserAndAnotherPrefixOtherwiseDoNotCollide() {
      // k8s.team-a.<LONG cut>-<hash of k8s.team-a/LONG>: k8s.team-a. never hashes that input
      Store older = new Store("S3Store/x/own", "k8s.team-a.", OLD, ns -> true);
      Store newer = store("ClusterS3Store/k8s", "k8s.", NEW, "team-a");
      assertThat(refusal(newer, "team-a", LONG, List.of("x"), older)).isEmpty();
    }

    @Test
    void aNameShapedLikeAHashCountsForEveryServedNamespaceStartingAlike() {
      // k8s. + team-a/<36 characters>-<16 hex>: 64 characters, unhashed, shaped like the hashed
      // name k8s.team-a. derives for a namespace of 36 characters or more starting with them
      String stem = "s".repeat(36);
      String name = stem + "-0123456789abcdef";
      Store newer = store("ClusterS3Store/k8s", "k8s.", NEW, "team-a");
      assertThat(MinioNames.userName("k8s.", "team-a", name))
          .isEqualTo("k8s.team-a." + name)
          .hasSize(64);
      String longNs = stem + "-and-more";
      Store older = store("ClusterS3Store/team-a", "k8s.team-a.", OLD, longNs);
      assertThat(refusal(newer, "team-a", name, List.of(longNs, "x"), older)).isPresent();
      Store elsewhere = store("ClusterS3Store/team-a", "k8s.team-a.", OLD, "x");
      assertThat(refusal(newer, "team-a", name, List.of(longNs, "x"), elsewhere)).isEmpty();
    }
  }

  @Nested
  class TheCheapFilterOfTheEventMapping {
    @Test
    void namesThatCannotStartAlikeAreSkippedAndEveryCollisionAboveStartsAlike() {
      // a namespace event for team-a on k8s.: k8s.team-a.x/y may collide, k8s.team-b.x/y not
      assertThat(UserNameOverlap.mayShareStart("k8s.team-a.x.y", "k8s.team-a.")).isTrue();
      assertThat(UserNameOverlap.mayShareStart("k8s.team-b.x.y", "k8s.team-a.")).isFalse();
      // "" beside k8s.: only a namespace starting with k8s concerns the k8s. store's integrations
      assertThat(UserNameOverlap.mayShareStart("k8s.", "demo.")).isFalse();
      assertThat(UserNameOverlap.mayShareStart("k8s.", "k8s.")).isTrue();
      // a namespace cut off by the hash: agreeing on the 47 characters kept is enough
      String ns = "team-" + "n".repeat(55);
      assertThat(UserNameOverlap.mayShareStart("k8s." + ns + ".x", "k8s.team-" + "n".repeat(55)))
          .isTrue();
      assertThat(
              UserNameOverlap.mayShareStart(
                  "k8s." + ns + ".x", "k8s.team-" + "n".repeat(38) + "m" + "n".repeat(16)))
          .isTrue();
      assertThat(UserNameOverlap.visible("-k8s.")).isEqualTo("u-k8s.");
      assertThat(UserNameOverlap.visible("k8s.")).isEqualTo("k8s.");
    }
  }
}
