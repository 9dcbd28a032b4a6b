package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MinioNamesTest {

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");

  @Test
  void policyNameIsTheUserNameWithTheOperatorPrefix() {
    assertThat(MinioNames.policyName("team-a.reader")).isEqualTo("s3i-team-a.reader");
    assertThat(MinioNames.policyName("x@y")).isEqualTo("s3i-x@y");
  }

  @Test
  void shortDerivedNamesAreNamespaceDotName() {
    assertThat(MinioNames.userName("", "team-a", "reader")).isEqualTo("team-a.reader");
    assertThat(MinioNames.userName("", "a", "b")).isEqualTo("a.b");
    assertThat(MinioNames.userName("", "ns", "my.app-1")).isEqualTo("ns.my.app-1");
  }

  @Test
  void derivedNameOfExactlyTheMaximumIsKept() {
    String ns = "n".repeat(31);
    String name = "m".repeat(32); // 31 + 1 + 32 = 64
    assertThat(MinioNames.userName("", ns, name)).isEqualTo(ns + "." + name).hasSize(64);
  }

  @Test
  void longDerivedNamesAreShortenedToExactlyTheMaximumWithAHashSuffix() {
    String ns = "namespace-" + "n".repeat(53); // 63, the longest namespace
    String name = "resource-" + "r".repeat(244); // 253, the longest object name
    String user = MinioNames.userName("", ns, name);

    assertThat(user).hasSize(MinioNames.MAX_USER_NAME_LENGTH);
    assertThat(user).startsWith("namespace-nnn");
    assertThat(user).matches(".*-[0-9a-f]{16}"); // 64 bits: squatting a name takes ~2^64 tries
    assertThat(MinioNames.userNameProblem(user)).isEmpty();

    String oneOver = MinioNames.userName("", "n".repeat(32), "m".repeat(32)); // 65
    assertThat(oneOver).hasSize(64).matches("n{32}\\.m{14}-[0-9a-f]{16}");
  }

  @Test
  void aNameHashedWithThe32BitsOfEarlierVersionsIsStillRecognised() {
    String ns = "n".repeat(32);
    String name = "m".repeat(32);
    String legacy = MinioNames.legacyUserName("k8s.", ns, name).orElseThrow();
    assertThat(legacy).hasSize(64).matches("k8s\\.n{32}\\.m{18}-[0-9a-f]{8}");
    assertThat(legacy).isNotEqualTo(MinioNames.userName("k8s.", ns, name));
    assertThat(MinioNames.derivedFrom(legacy, "k8s.", ns, name)).isTrue();
    assertThat(MinioNames.derivedFrom(MinioNames.userName("k8s.", ns, name), "k8s.", ns, name))
        .isTrue();
    assertThat(MinioNames.derivedFrom(legacy, "k8s.", ns, "other")).isFalse();
    // a short name was never hashed: nothing to keep
    assertThat(MinioNames.legacyUserName("k8s.", "team-a", "viz")).isEmpty();
  }

  @Test
  void derivationIsDeterministic() {
    String ns = "x".repeat(40);
    String name = "y".repeat(100);
    assertThat(MinioNames.userName("", ns, name)).isEqualTo(MinioNames.userName("", ns, name));
    assertThat(MinioNames.userName("", "a", "b")).isEqualTo(MinioNames.userName("", "a", "b"));
  }

  @Test
  void distinctInputsGiveDistinctNames() {
    // same long prefix, differing only beyond the cut
    String ns = "shared-" + "p".repeat(56);
    String a = MinioNames.userName("", ns, "app-" + "q".repeat(100) + "-one");
    String b = MinioNames.userName("", ns, "app-" + "q".repeat(100) + "-two");
    assertThat(a).isNotEqualTo(b).hasSize(64);
    assertThat(b).hasSize(64);

    // a dash would merge these two; the dot separator keeps them apart
    assertThat(MinioNames.userName("", "a-b", "c"))
        .isNotEqualTo(MinioNames.userName("", "a", "b-c"));

    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(MinioNames.userName("", "ns-" + "z".repeat(60), "item-" + i));
    }
    assertThat(seen).hasSize(500);
  }

  @Test
  void derivedNamesUseOnlyAllowedCharacters() {
    String[][] inputs = {
      {"default", "web"},
      {"kube-system", "a.b.c"},
      {"n".repeat(63), "x".repeat(253)},
      {"0ns", "9name"},
      // not valid Kubernetes names, but must still give a valid, distinct MinIO name
      {"ns", "a=b,c d/é"},
      {"-ns", "name"},
    };
    Set<String> seen = new HashSet<>();
    for (String[] in : inputs) {
      String user = MinioNames.userName("", in[0], in[1]);
      assertThat(user).as("%s/%s", in[0], in[1]).matches(ALLOWED);
      assertThat(MinioNames.userNameProblem(user)).as("%s/%s -> %s", in[0], in[1], user).isEmpty();
      seen.add(user);
    }
    assertThat(seen).hasSize(inputs.length);
    assertThat(MinioNames.userName("", "ns", "a=b")).isNotEqualTo("ns.a-b");
  }

  @Test
  void emptyInputsAreRefused() {
    assertThatThrownBy(() -> MinioNames.userName("", "", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MinioNames.userName("", "x", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "team-a.reader", "svc_user@corp", "A1-", "0.9"})
  void validUserNamesHaveNoProblem(String name) {
    assertThat(MinioNames.userNameProblem(name)).isEmpty();
  }

  @Test
  void lengthLimitsAreEnforcedAtBothEnds() {
    assertThat(MinioNames.userNameProblem("ab")).get().asString().contains("3 to 64", "not 2");
    assertThat(MinioNames.userNameProblem("a".repeat(64))).isEmpty();
    assertThat(MinioNames.userNameProblem("a".repeat(65))).get().asString().contains("not 65");
    assertThat(MinioNames.userNameProblem("")).get().asString().contains("empty");
    assertThat(MinioNames.userNameProblem(null)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc=def", "abc,def"})
  void reservedCharactersAreNamed(String name) {
    assertThat(MinioNames.userNameProblem(name)).get().asString().contains("'=' or ','");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc def", " abc", "abc ", "abc/def", "abc:def", "naïve", "-abc", ".abc"})
  void otherCharactersAndLeadingPunctuationAreRefused(String name) {
    assertThat(MinioNames.userNameProblem(name))
        .get()
        .asString()
        .contains("only letters, digits and . _ @ -");
  }
}
