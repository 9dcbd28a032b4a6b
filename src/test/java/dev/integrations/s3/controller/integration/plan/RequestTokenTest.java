package dev.integrations.s3.controller.integration.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTokenTest {
  @Test
  void aShortValueIsKeptAsItIs() {
    assertThat(RequestToken.of("2026-12-05T13:00:00Z")).isEqualTo("2026-12-05T13:00:00Z");
    assertThat(RequestToken.of("x".repeat(64))).isEqualTo("x".repeat(64));
  }

  @Test
  void blankIsNoRequest() {
    assertThat(RequestToken.of(null)).isNull();
    assertThat(RequestToken.of("  ")).isNull();
  }

  /** A tenant's 200 KB value becomes 23 characters in status and in the Secret's annotations. */
  @Test
  void aLongValueIsItsHashAndStillTellsOneValueFromAnother() {
    String a = RequestToken.of("a".repeat(200_000));
    String b = RequestToken.of("a".repeat(199_999) + "b");
    assertThat(a).startsWith("sha256:").hasSize(23);
    assertThat(b).hasSize(23).isNotEqualTo(a);
    assertThat(RequestToken.of("a".repeat(200_000))).isEqualTo(a);
  }
}
