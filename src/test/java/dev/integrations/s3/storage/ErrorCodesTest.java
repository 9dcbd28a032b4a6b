package dev.integrations.s3.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodesTest {
  @Test
  void realCodesPass() {
    for (String code :
        new String[] {
          "AccessDenied", "NoSuchBucket", "InvalidAccessKeyId", "XMinioAdminNoSuchUser", "Err.Sub2"
        }) {
      assertThat(ErrorCodes.sane(code)).isEqualTo(code);
    }
    assertThat(ErrorCodes.sane(" AccessDenied ")).isEqualTo("AccessDenied");
  }

  @Test
  void anythingElseIsDropped() {
    assertThat(ErrorCodes.sane(null)).isNull();
    assertThat(ErrorCodes.sane("")).isNull();
    assertThat(ErrorCodes.sane("Access\nDenied")).isNull();
    assertThat(ErrorCodes.sane("Access Denied")).isNull();
    assertThat(ErrorCodes.sane("<script>")).isNull();
    assertThat(ErrorCodes.sane("1Code")).isNull();
    assertThat(ErrorCodes.sane("A".repeat(65))).isNull();
    assertThat(ErrorCodes.sane("A".repeat(64))).hasSize(64);
    assertThat(ErrorCodes.sane("x".repeat(1 << 20))).isNull();
  }
}
