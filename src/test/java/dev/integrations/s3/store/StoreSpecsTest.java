package dev.integrations.s3.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.AllowRule;
import dev.integrations.s3.api.v1alpha1.StoreSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key prefix without a trailing "/" in an allow rule is warned about (issue 21, item 15). */
class StoreSpecsTest {
  static StoreSpec spec(List<String>... prefixesPerRule) {
    StoreSpec s = new StoreSpec();
    s.setEndpoint("minio.storage.svc");
    List<AllowRule> rules = new java.util.ArrayList<>();
    for (List<String> prefixes : prefixesPerRule) {
      AllowRule r = new AllowRule();
      r.setBuckets(List.of("share-*"));
      r.setPrefixes(prefixes);
      rules.add(r);
    }
    s.setAllow(rules);
    return s;
  }

  @Test
  void aPrefixWithoutTrailingSlashIsWarnedAbout() {
    assertThat(StoreSpecs.warnings(spec(List.of("studies/", "team-a"))))
        .containsExactly(
            "allow[0] prefix \"team-a\" has no trailing \"/\": it also allows keys under"
                + " \"team-ax/\"");
  }

  @Test
  void slashTerminatedPrefixesAndWholeBucketsAreNot() {
    assertThat(StoreSpecs.warnings(spec(List.of("studies/"), null))).isEmpty();
    assertThat(StoreSpecs.warnings(new StoreSpec())).isEmpty();
    assertThat(StoreSpecs.warnings(null)).isEmpty();
  }

  @Test
  void aLongPrefixIsShownCut() {
    String warning = StoreSpecs.warnings(spec(List.of("p".repeat(1000)))).get(0);
    assertThat(warning).hasSizeLessThan(250).contains("allow[0]");
  }
}
