package dev.integrations.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrations.s3.api.v1alpha1.S3AccessPolicySpec;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadActionsTest {

  private static final String LIST =
      "s3:GetObject, s3:ListBucket, s3:GetBucketLocation, s3:GetObjectVersion";

  @Test
  void allowedIsTheOrderedReadSet() {
    assertThat(ReadActions.ALLOWED)
        .containsExactly(
            "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion");
    assertThat(ReadActions.DEFAULT).containsExactly("s3:GetObject", "s3:ListBucket");
  }

  @Test
  void levelsPartitionTheAllowedActions() {
    assertThat(ReadActions.OBJECT_LEVEL)
        .containsExactlyInAnyOrder("s3:GetObject", "s3:GetObjectVersion");
    assertThat(ReadActions.BUCKET_LEVEL)
        .containsExactlyInAnyOrder("s3:ListBucket", "s3:GetBucketLocation");
    for (String action : ReadActions.ALLOWED) {
      assertThat(ReadActions.isObjectLevel(action)).isNotEqualTo(ReadActions.isBucketLevel(action));
    }
    assertThat(ReadActions.isObjectLevel(null)).isFalse();
    assertThat(ReadActions.isBucketLevel(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion"})
  void acceptsReadActions(String action) {
    assertThat(ReadActions.problem(action)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListAllMyBuckets",
        "GetObject",
        "",
        "s3:GetObjectX",
        "xs3:GetObject",
        "admin:ServerInfo"
      })
  void rejectsOtherActions(String action) {
    assertThat(ReadActions.problem(action))
        .contains("action \"" + action + "\" is not allowed: only read actions " + LIST + " are");
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3:*", "s3:Get*", "*", "s3:GetObject?", "s3:List*"})
  void rejectsWildcards(String action) {
    assertThat(ReadActions.problem(action))
        .contains(
            "action \""
                + action
                + "\" is not allowed: wildcards are not accepted, only read actions "
                + LIST
                + " are");
  }

  @Test
  void pointsOutTheExactSpellingOfAMiswrittenAction() {
    assertThat(ReadActions.problem("s3:getobject"))
        .contains(
            "action \"s3:getobject\" is not allowed: write it exactly as \"s3:GetObject\";"
                + " only read actions "
                + LIST
                + " are");
    assertThat(ReadActions.problem(" s3:ListBucket"))
        .contains(
            "action \" s3:ListBucket\" is not allowed: write it exactly as \"s3:ListBucket\";"
                + " only read actions "
                + LIST
                + " are");
  }

  @Test
  void rejectsNull() {
    assertThat(ReadActions.problem(null))
        .contains("action must be set: only read actions " + LIST + " are allowed");
  }

  /** The API server's CEL allow-list and the operator's list are one rule. */
  @Test
  void celAllowListNamesExactlyTheAllowedActions() throws Exception {
    String rule =
        S3AccessPolicySpec.class
            .getDeclaredField("actions")
            .getAnnotation(ValidationRule.class)
            .value();
    Matcher quoted = Pattern.compile("'([^']*)'").matcher(rule);
    List<String> named = new ArrayList<>();
    while (quoted.find()) {
      named.add(quoted.group(1));
    }
    assertThat(named).containsExactlyElementsOf(ReadActions.ALLOWED);
  }
}
