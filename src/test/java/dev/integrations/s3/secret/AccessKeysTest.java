package dev.integrations.s3.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which values read as an access key may be shown in status, Events and logs (issue 21, item 4).
 */
class AccessKeysTest {
  @Test
  void accessKeysOfTheKnownShapesAreShown() {
    assertThat(AccessKeys.shown("AKIAIOSFODNN7EXAMPLE")).contains("AKIAIOSFODNN7EXAMPLE"); // AWS
    assertThat(AccessKeys.showable(SecretKeys.generateKeyId())).isTrue(); // the operator's S3I…
    assertThat(AccessKeys.showable("s3i-team-a.viz")).isTrue(); // a derived MinIO user
    assertThat(AccessKeys.showable("s3i-" + "a".repeat(51) + "-1a2b3c4d")).isTrue(); // 64, hashed
    assertThat(AccessKeys.showable("alice@example.com")).isTrue(); // a MinIO user name
    assertThat(AccessKeys.describe("minioadmin")).isEqualTo("access key \"minioadmin\"");
  }

  @Test
  void secretKeysPasswordsAndOtherValuesAreNot() {
    assertThat(AccessKeys.shown("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isEmpty(); // AWS's
    assertThat(AccessKeys.showable(SecretKeys.generate())).isFalse(); // the operator's, 40 mixed
    assertThat(AccessKeys.showable("correct horse battery staple")).isFalse();
    assertThat(AccessKeys.showable("p+ss=word")).isFalse();
    assertThat(AccessKeys.showable("line\nbreak")).isFalse();
    assertThat(AccessKeys.showable("ab")).isFalse();
    assertThat(AccessKeys.showable("a".repeat(129))).isFalse();
    assertThat(AccessKeys.showable("-leading-dash")).isFalse();
    assertThat(AccessKeys.showable(null)).isFalse();
    String hidden = AccessKeys.describe("Hunter2/Secret");
    assertThat(hidden).doesNotContain("Hunter2").doesNotContain("Hunt");
  }

  @Test
  void theSecretLikeRuleStartsAt32Characters() {
    String mixed = "Ab1" + "x".repeat(AccessKeys.SECRET_LIKE_LENGTH - 4);
    assertThat(AccessKeys.showable(mixed)).as("31 characters").isTrue();
    assertThat(AccessKeys.showable(mixed + "y")).as("32 characters").isFalse();
    assertThat(AccessKeys.showable("AB1" + "X".repeat(40))).as("no lower case").isTrue();
  }
}
