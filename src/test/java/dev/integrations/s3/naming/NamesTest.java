package dev.integrations.s3.naming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void shortNamesAreKeptAsTheyAre() {
    assertThat(Names.bounded("media", "-s3", 253)).isEqualTo("media-s3");
    assertThat(Names.labelValue("media")).isEqualTo("media");
  }

  @Test
  void longNamesAreCutToTheLimitAndStayDistinct() {
    String a = "a".repeat(250) + "x";
    String b = "a".repeat(250) + "y";

    String boundedA = Names.bounded(a, "-s3", 253);
    String boundedB = Names.bounded(b, "-s3", 253);

    assertThat(boundedA).hasSize(253).endsWith("-s3").isNotEqualTo(boundedB);
    assertThat(Names.bounded(a, "-s3", 253)).isEqualTo(boundedA); // stable
    assertThat(Names.labelValue(a)).hasSize(63).isNotEqualTo(Names.labelValue(b));
  }

  @Test
  void aCutNeverEndsInAPunctuationCharacterBeforeTheHash() {
    // the cut falls right after the dots: they are dropped, the name part ends in a letter
    String name = "a".repeat(53) + "...." + "b".repeat(20);

    String value = Names.labelValue(name);

    assertThat(value).matches("a{53}-[0-9a-f]{8}");
  }
}
