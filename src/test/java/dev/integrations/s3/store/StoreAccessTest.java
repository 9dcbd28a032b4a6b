package dev.integrations.s3.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.StoreKind;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.ReadGrant;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreAccessTest {
  static AllowRule rule(Map<String, String> labels, List<String> buckets, List<String> prefixes) {
    AllowRule r = new AllowRule();
    r.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
    r.setBuckets(buckets);
    r.setPrefixes(prefixes);
    return r;
  }

  static StoreSpec spec(AllowRule... rules) {
    StoreSpec s = new StoreSpec();
    s.setEndpoint("minio");
    s.setAllow(List.of(rules));
    return s;
  }

  static final StoreSpec PLATFORM =
      spec(
          rule(Map.of("team", "vision"), List.of("share-with-kolena", "vision-*"), null),
          rule(Map.of("team", "medical"), List.of("medical-images"), List.of("studies/")));

  @Test
  void aClusterStoreServesOnlyNamespacesItsRulesSelect() {
    assertThat(
            StoreAccess.of(StoreKind.ClusterS3Store, PLATFORM, Map.of("team", "vision")).usable())
        .isTrue();
    assertThat(StoreAccess.of(StoreKind.ClusterS3Store, PLATFORM, Map.of("team", "x")).usable())
        .isFalse();
    assertThat(StoreAccess.of(StoreKind.ClusterS3Store, PLATFORM, Map.of()).usable()).isFalse();
    assertThat(StoreAccess.of(StoreKind.ClusterS3Store, spec(), Map.of("team", "vision")).usable())
        .as("no rules: nobody")
        .isFalse();
  }

  @Test
  void bucketsByNameAndGlobAndOnlyForTheMatchingRule() {
    StoreAccess vision =
        StoreAccess.of(StoreKind.ClusterS3Store, PLATFORM, Map.of("team", "vision"));
    assertThat(vision.allows("share-with-kolena", null)).isTrue();
    assertThat(vision.allows("vision-2024", null)).isTrue();
    assertThat(vision.allows("vision-2024", "images/")).isTrue();
    assertThat(vision.allows("medical-images", "studies/")).isFalse();
    assertThat(vision.allows("share-with-kolena2", null)).isFalse();
  }

  @Test
  void aRuleWithPrefixesAllowsOnlyUnderThemAndNeverTheWholeBucket() {
    StoreAccess medical =
        StoreAccess.of(StoreKind.ClusterS3Store, PLATFORM, Map.of("team", "medical"));
    assertThat(medical.allows("medical-images", "studies/")).isTrue();
    assertThat(medical.allows("medical-images", "studies/2024/")).isTrue();
    assertThat(medical.allows("medical-images", "billing/")).isFalse();
    assertThat(medical.allows("medical-images", null)).as("the whole bucket").isFalse();
  }

  @Test
  void notAllowedNamesEachItemAndNarrowKeepsTheRest() {
    StoreAccess medical =
        StoreAccess.of(StoreKind.ClusterS3Store, PLATFORM, Map.of("team", "medical"));
    List<ReadGrant> grants =
        List.of(
            ReadGrant.of(
                BucketGrant.withPrefixes("medical-images", "studies/", "billing/"),
                BucketGrant.wholeBucket("share-with-kolena")));
    assertThat(medical.notAllowed(grants, null))
        .containsExactly(
            "prefix \"billing/\" of bucket \"medical-images\"", "bucket \"share-with-kolena\"");
    assertThat(medical.narrow(grants))
        .containsExactly(ReadGrant.of(BucketGrant.withPrefixes("medical-images", "studies/")));
    assertThat(medical.notAllowed(List.of(), "share-with-kolena"))
        .containsExactly("bucket \"share-with-kolena\"");
    assertThat(medical.notAllowed(List.of(), "medical-images")).isEmpty();
  }

  @Test
  void anS3StoreServesItsOwnNamespaceEverythingUnlessItsRulesLimitIt() {
    StoreAccess open = StoreAccess.of(StoreKind.S3Store, spec(), Map.of());
    assertThat(open.usable()).isTrue();
    assertThat(open.allows("anything", null)).isTrue();
    AllowRule limit = rule(Map.of(), List.of("ours-*"), null);
    limit.setNamespaceSelector(null);
    StoreAccess limited = StoreAccess.of(StoreKind.S3Store, spec(limit), Map.of());
    assertThat(limited.allows("ours-1", null)).isTrue();
    assertThat(limited.allows("theirs", null)).isFalse();
  }

  @Test
  void labelSelectorsFollowKubernetes() {
    var expr =
        new LabelSelectorBuilder()
            .withMatchExpressions(
                new LabelSelectorRequirementBuilder()
                    .withKey("tier")
                    .withOperator("In")
                    .withValues("gold", "silver")
                    .build(),
                new LabelSelectorRequirementBuilder()
                    .withKey("frozen")
                    .withOperator("DoesNotExist")
                    .build())
            .build();
    assertThat(LabelSelectors.matches(expr, Map.of("tier", "gold"))).isTrue();
    assertThat(LabelSelectors.matches(expr, Map.of("tier", "gold", "frozen", "yes"))).isFalse();
    assertThat(LabelSelectors.matches(expr, Map.of("tier", "bronze"))).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().build(), Map.of()))
        .as("{} selects every namespace")
        .isTrue();
    assertThat(LabelSelectors.matches(null, Map.of("a", "b"))).as("null selects none").isFalse();
  }

  @Test
  void globsMatchWholeNames() {
    assertThat(Globs.matches("vision-*", "vision-")).isTrue();
    assertThat(Globs.matches("vision-*", "vision-a-b")).isTrue();
    assertThat(Globs.matches("vision-*", "xvision-a")).isFalse();
    assertThat(Globs.matches("*-logs", "app-logs")).isTrue();
    assertThat(Globs.matches("a?c", "abc")).isTrue();
    assertThat(Globs.matches("a?c", "ac")).isFalse();
    assertThat(Globs.matches("*", "anything")).isTrue();
    assertThat(Globs.matches("a*b*c", "aXbYbZc")).isTrue();
    assertThat(Globs.matches("a*b*c", "aXbYbZ")).isFalse();
  }
}
