package dev.integrations.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyDocumentTest {

  /** The read-only policy of the storage documentation, for one bucket and the default actions. */
  private static final String DOCS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S3ListBucket\",\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":"
          + "[\"arn:aws:s3:::share-with-kolena\",\"arn:aws:s3:::share-with-kolena/*\"]}]}";

  private static final ObjectMapper JSON = new ObjectMapper();

  // ------------------------------------------------------------------ render

  @Test
  void wholeBucketWithDefaultActionsIsTheDocumentedPolicy() throws Exception {
    String policy =
        PolicyDocument.render(ReadGrant.of(BucketGrant.wholeBucket("share-with-kolena")));

    assertThat(PolicyDocument.canonical(policy)).isEqualTo(PolicyDocument.canonical(DOCS));
    assertThat(PolicyDocument.equivalent(policy, DOCS)).isTrue();
    assertThat(policy).isEqualTo(DOCS);

    JsonNode root = JSON.readTree(policy);
    assertThat(root.get("Version").asText()).isEqualTo("2012-10-17");
    assertThat(root.get("Statement")).hasSize(1);
    JsonNode statement = root.get("Statement").get(0);
    assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
    assertThat(texts(statement.get("Action"))).containsExactly("s3:GetObject", "s3:ListBucket");
    assertThat(texts(statement.get("Resource")))
        .containsExactly("arn:aws:s3:::share-with-kolena", "arn:aws:s3:::share-with-kolena/*");
    assertThat(statement.has("Condition")).isFalse();
  }

  @Test
  void renderIsMergeOfOne() {
    ReadGrant grant =
        new ReadGrant(
            List.of(BucketGrant.withPrefixes("data", "x/"), BucketGrant.wholeBucket("abc")),
            List.of("s3:GetObjectVersion", "s3:ListBucket"));
    assertThat(PolicyDocument.render(grant)).isEqualTo(PolicyDocument.merge(List.of(grant)));
  }

  @Test
  void prefixesGetAListStatementWithConditionAndAnObjectStatement() throws Exception {
    String policy =
        PolicyDocument.render(ReadGrant.of(BucketGrant.withPrefixes("data", "reports/", "raw/")));

    assertThat(policy)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"S3ListPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::data\"],"
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"raw/*\",\"reports/*\"]}}},"
                + "{\"Sid\":\"S3GetPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::data/raw/*\",\"arn:aws:s3:::data/reports/*\"]}]}");

    JsonNode statements = JSON.readTree(policy).get("Statement");
    assertThat(statements).hasSize(2);
    JsonNode list = statements.get(0);
    assertThat(texts(list.get("Action"))).containsExactly("s3:ListBucket");
    assertThat(texts(list.get("Resource"))).containsExactly("arn:aws:s3:::data");
    assertThat(texts(list.at("/Condition/StringLike/s3:prefix")))
        .containsExactly("raw/*", "reports/*");
    JsonNode get = statements.get(1);
    assertThat(texts(get.get("Action"))).containsExactly("s3:GetObject");
    assertThat(texts(get.get("Resource")))
        .containsExactly("arn:aws:s3:::data/raw/*", "arn:aws:s3:::data/reports/*");
    assertThat(get.has("Condition")).isFalse();
  }

  @Test
  void getBucketLocationIsAlwaysWholeBucket() {
    String policy =
        PolicyDocument.render(
            new ReadGrant(
                List.of(BucketGrant.withPrefixes("data", "in/")),
                List.of("s3:GetBucketLocation", "s3:GetObject")));
    assertThat(policy)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"S3ListBucket\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketLocation\"],"
                + "\"Resource\":[\"arn:aws:s3:::data\"]},"
                + "{\"Sid\":\"S3GetPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::data/in/*\"]}]}");
  }

  @Test
  void mergeGroupsBucketsByIdenticalWholeBucketActionSets() {
    String policy =
        PolicyDocument.merge(
            List.of(
                ReadGrant.of(BucketGrant.wholeBucket("beta"), BucketGrant.wholeBucket("alpha")),
                new ReadGrant(List.of(BucketGrant.wholeBucket("gamma")), List.of("s3:GetObject")),
                new ReadGrant(
                    List.of(BucketGrant.wholeBucket("delta")),
                    List.of(
                        "s3:ListBucket",
                        "s3:GetObjectVersion",
                        "s3:GetObject",
                        "s3:GetBucketLocation")),
                new ReadGrant(List.of(BucketGrant.wholeBucket("alpha")), List.of("s3:GetObject")),
                new ReadGrant(
                    List.of(BucketGrant.withPrefixes("epsilon", "in/")),
                    List.of("s3:GetBucketLocation", "s3:GetObject"))));

    assertThat(policy)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"S3ListBucket\",\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::alpha\",\"arn:aws:s3:::alpha/*\","
                + "\"arn:aws:s3:::beta\",\"arn:aws:s3:::beta/*\"]},"
                + "{\"Sid\":\"S3ListBucket2\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketLocation\","
                + "\"s3:GetObject\",\"s3:GetObjectVersion\",\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::delta\",\"arn:aws:s3:::delta/*\"]},"
                + "{\"Sid\":\"S3ListBucket3\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketLocation\"],"
                + "\"Resource\":[\"arn:aws:s3:::epsilon\"]},"
                + "{\"Sid\":\"S3ListBucket4\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::gamma/*\"]},"
                + "{\"Sid\":\"S3GetPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::epsilon/in/*\"]}]}");
  }

  @Test
  void objectActionsWithTheSamePrefixesShareAStatement() {
    String policy =
        PolicyDocument.merge(
            List.of(
                grant(List.of("s3:GetObject"), BucketGrant.withPrefixes("zeta", "a/")),
                grant(
                    List.of("s3:GetObjectVersion", "s3:ListBucket"),
                    BucketGrant.withPrefixes("zeta", "b/", "a/")),
                grant(List.of("s3:GetObject"), BucketGrant.withPrefixes("zeta", "b/")),
                grant(List.of("s3:GetObject"), BucketGrant.withPrefixes("eta", "x/")),
                grant(List.of("s3:GetObjectVersion"), BucketGrant.withPrefixes("eta", "y/"))));

    assertThat(policy)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"S3GetPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::eta/x/*\"]},"
                + "{\"Sid\":\"S3GetPrefixes2\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObjectVersion\"],"
                + "\"Resource\":[\"arn:aws:s3:::eta/y/*\"]},"
                + "{\"Sid\":\"S3ListPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::zeta\"],"
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"a/*\",\"b/*\"]}}},"
                + "{\"Sid\":\"S3GetPrefixes3\",\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:GetObject\",\"s3:GetObjectVersion\"],"
                + "\"Resource\":[\"arn:aws:s3:::zeta/a/*\",\"arn:aws:s3:::zeta/b/*\"]}]}");
  }

  @Test
  void wholeBucketMakesPrefixesOfTheSameActionRedundant() {
    String whole = PolicyDocument.render(ReadGrant.of(BucketGrant.wholeBucket("data")));
    String merged =
        PolicyDocument.merge(
            List.of(
                ReadGrant.of(BucketGrant.withPrefixes("data", "x/", "y/")),
                ReadGrant.of(BucketGrant.wholeBucket("data")),
                ReadGrant.of(BucketGrant.withPrefixes("data", "z/"))));
    assertThat(merged).isEqualTo(whole).doesNotContain("x/", "z/", "Condition");

    // Only the action granted on the whole bucket absorbs its prefixes; ListBucket keeps them.
    String partial =
        PolicyDocument.merge(
            List.of(
                grant(List.of("s3:GetObject"), BucketGrant.wholeBucket("data")),
                ReadGrant.of(BucketGrant.withPrefixes("data", "x/"))));
    assertThat(partial)
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"S3ListBucket\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
                + "\"Resource\":[\"arn:aws:s3:::data/*\"]},"
                + "{\"Sid\":\"S3ListPrefixes1\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],"
                + "\"Resource\":[\"arn:aws:s3:::data\"],"
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"x/*\"]}}}]}");
  }

  @Test
  void aShorterPrefixMakesTheLongerPrefixesItStartsRedundant() throws Exception {
    String policy =
        PolicyDocument.render(
            ReadGrant.of(
                BucketGrant.withPrefixes("data", "logs/2024/", "logsx/", "logs/", "logs/2025/a")));
    JsonNode statements = JSON.readTree(policy).get("Statement");
    assertThat(texts(statements.get(0).at("/Condition/StringLike/s3:prefix")))
        .containsExactly("logs/*", "logsx/*");
    assertThat(texts(statements.get(1).get("Resource")))
        .containsExactly("arn:aws:s3:::data/logs/*", "arn:aws:s3:::data/logsx/*");
  }

  @Test
  void mergeIsByteIdenticalForPermutationsAndDuplicates() {
    ReadGrant a =
        ReadGrant.of(
            BucketGrant.withPrefixes("data", "b/", "a/"),
            BucketGrant.wholeBucket("logs"),
            BucketGrant.withPrefixes("data", "c/"));
    ReadGrant b =
        new ReadGrant(
            List.of(BucketGrant.wholeBucket("archive"), BucketGrant.withPrefixes("data", "d/")),
            List.of("s3:GetObjectVersion", "s3:GetBucketLocation"));
    ReadGrant c =
        new ReadGrant(
            List.of(BucketGrant.wholeBucket("share-with-kolena")),
            List.of("s3:ListBucket", "s3:GetObject"));
    ReadGrant aReordered =
        new ReadGrant(
            List.of(
                BucketGrant.withPrefixes("data", "c/", "a/"),
                BucketGrant.wholeBucket("logs"),
                BucketGrant.wholeBucket("logs"),
                BucketGrant.withPrefixes("data", "b/", "a/", "b/")),
            List.of("s3:ListBucket", "s3:GetObject", "s3:ListBucket"));

    String expected = PolicyDocument.merge(List.of(a, b, c));
    Set<String> outputs = new HashSet<>();
    for (List<ReadGrant> order : permutations(List.of(a, b, c))) {
      outputs.add(PolicyDocument.merge(order));
    }
    outputs.add(PolicyDocument.merge(List.of(c, a, b, a, c)));
    outputs.add(PolicyDocument.merge(List.of(b, aReordered, c)));
    outputs.add(PolicyDocument.merge(List.of(aReordered, c, b, b)));
    assertThat(outputs).containsExactly(expected);
    assertThat(expected).doesNotContain(" ", "\n");
    assertThat(PolicyDocument.merge(List.of(a, b))).isNotEqualTo(expected);
  }

  @Test
  void userValuesCannotBreakOutOfTheirJsonStrings() throws Exception {
    String policy =
        PolicyDocument.render(ReadGrant.of(BucketGrant.withPrefixes("data", "a\"b\\c/")));
    JsonNode statements = JSON.readTree(policy).get("Statement");
    assertThat(statements).hasSize(2);
    assertThat(texts(statements.get(1).get("Resource")))
        .containsExactly("arn:aws:s3:::data/a\"b\\c/*");
    assertThat(texts(statements.get(0).at("/Condition/StringLike/s3:prefix")))
        .containsExactly("a\"b\\c/*");
  }

  @Test
  void refusesInvalidGrantsListingEveryProblem() {
    ReadGrant good = ReadGrant.of(BucketGrant.wholeBucket("abc"));
    ReadGrant bad =
        new ReadGrant(List.of(BucketGrant.withPrefixes("ab", "/x")), List.of("s3:PutObject"));

    assertThatThrownBy(() -> PolicyDocument.render(bad))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "bucket name \"ab\" must be between 3 and 63 characters long, but is 2",
                        "prefix \"/x\" for bucket \"ab\" must not start with \"/\": object keys do"
                            + " not begin with a slash",
                        "action \"s3:PutObject\" is not allowed: only read actions s3:GetObject,"
                            + " s3:ListBucket, s3:GetBucketLocation, s3:GetObjectVersion are"));

    assertThatThrownBy(() -> PolicyDocument.merge(Arrays.asList(good, bad, null)))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e -> {
              assertThat(e.problems()).hasSize(4);
              assertThat(e.problems().get(0)).startsWith("grants[1]: bucket name \"ab\"");
              assertThat(e.problems().get(3)).isEqualTo("grants[2]: read grant must be set");
            });
  }

  @Test
  void refusesNoGrants() {
    assertThatThrownBy(() -> PolicyDocument.merge(List.of()))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("at least one read grant is required");
    assertThatThrownBy(() -> PolicyDocument.merge(null))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("at least one read grant is required");
  }

  // ------------------------------------------------------------------ canonical

  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Sid\":\"S3ListBucket\",\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
          + "\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]},"
          + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::c\","
          + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"x/*\"}}}]}";

  @Test
  void canonicalSortsKeysAndNormalisesServerDifferences() {
    String asStored =
        "{\n  \"Statement\": [\n"
            + "    {\"Sid\": \"\", \"Condition\": {\"StringLike\": {\"s3:prefix\": [\"x/*\", \"x/*\"]}},\n"
            + "     \"Resource\": [\"arn:aws:s3:::c\"], \"Action\": [\"s3:ListBucket\"],"
            + " \"Effect\": \"Allow\"},\n"
            + "    {\"Resource\": [\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b\", \"arn:aws:s3:::b\"],\n"
            + "     \"Effect\": \"Allow\", \"Sid\": \"S3ListBucket\",\n"
            + "     \"Action\": [\"s3:ListBucket\", \"s3:GetObject\"]}\n"
            + "  ],\n  \"Version\": \"2012-10-17\"\n}\n";

    String expected =
        "{\"Statement\":["
            + "{\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Effect\":\"Allow\","
            + "\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"],\"Sid\":\"S3ListBucket\"},"
            + "{\"Action\":[\"s3:ListBucket\"],"
            + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"x/*\"]}},\"Effect\":\"Allow\","
            + "\"Resource\":[\"arn:aws:s3:::c\"]}"
            + "],\"Version\":\"2012-10-17\"}";
    assertThat(PolicyDocument.canonical(POLICY)).isEqualTo(expected);
    assertThat(PolicyDocument.canonical(asStored)).isEqualTo(expected);
    assertThat(PolicyDocument.equivalent(POLICY, asStored)).isTrue();
  }

  @Test
  void canonicalAcceptsASingleStatementObjectAndDuplicateStatements() {
    String single =
        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}";
    String twice =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":null,\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
            + "\"Resource\":[\"arn:aws:s3:::b/*\"]},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}";
    assertThat(PolicyDocument.canonical(single))
        .isEqualTo(
            "{\"Statement\":[{\"Action\":[\"s3:GetObject\"],\"Effect\":\"Allow\","
                + "\"Resource\":[\"arn:aws:s3:::b/*\"]}],\"Version\":\"2012-10-17\"}");
    assertThat(PolicyDocument.equivalent(single, twice)).isTrue();
  }

  @Test
  void canonicalOfRenderedPoliciesIsStable() {
    String rendered =
        PolicyDocument.render(
            ReadGrant.of(BucketGrant.withPrefixes("data", "a/"), BucketGrant.wholeBucket("abc")));
    assertThat(PolicyDocument.equivalent(rendered, rendered)).isTrue();
    assertThat(PolicyDocument.canonical(PolicyDocument.canonical(rendered)))
        .isEqualTo(PolicyDocument.canonical(rendered));
  }

  @Test
  void canonicalKeepsRealDifferences() {
    assertThat(
            PolicyDocument.equivalent(POLICY, POLICY.replace("arn:aws:s3:::c", "arn:aws:s3:::d")))
        .as("different resource")
        .isFalse();
    assertThat(PolicyDocument.equivalent(POLICY, POLICY.replaceFirst("Allow", "Deny")))
        .as("different effect")
        .isFalse();
    assertThat(PolicyDocument.equivalent(POLICY, POLICY.replace("S3ListBucket\"", "Other\"")))
        .as("different non-empty Sid")
        .isFalse();
    assertThat(PolicyDocument.equivalent(POLICY, POLICY.replace("x/*", "y/*")))
        .as("different condition value")
        .isFalse();
    assertThat(
            PolicyDocument.equivalent(
                POLICY, POLICY.replace("\"s3:GetObject\",", "\"s3:GetObject\",\"s3:PutObject\",")))
        .as("extra action")
        .isFalse();
    assertThat(PolicyDocument.equivalent(POLICY, POLICY.replace("2012-10-17", "2008-10-17")))
        .as("different version")
        .isFalse();
    assertThat(PolicyDocument.equivalent(POLICY, DOCS)).isFalse();
  }

  @Test
  void canonicalRejectsUnparsableJsonWithAShortMessage() {
    assertThatThrownBy(() -> PolicyDocument.canonical("{\"Version\": \"2012-10-17\", }"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("policy document is not valid JSON at line 1, column 27: ");

    String garbage = "{\"Version\": tru" + "e".repeat(5000) + "}";
    assertThatThrownBy(() -> PolicyDocument.canonical(garbage))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("policy document is not valid JSON at line 1, column ")
                  .doesNotContain("e".repeat(101));
              assertThat(e.getMessage().length()).isLessThan(200);
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void canonicalRejectsAmbiguousOrNonObjectDocuments() {
    assertThatThrownBy(() -> PolicyDocument.canonical("{\"a\":1,\"a\":2}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("policy document is not valid JSON at line 1")
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> PolicyDocument.canonical("{} {}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "policy document is not valid JSON at line 1, column 4:"
                + " more content follows the end of the document");
    assertThatThrownBy(() -> PolicyDocument.canonical(" \n "))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy document is empty");
    assertThatThrownBy(() -> PolicyDocument.canonical("[]"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy document must be a JSON object, but is array");
    assertThatThrownBy(() -> PolicyDocument.canonical(null))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy document must be set");
    assertThatThrownBy(() -> PolicyDocument.equivalent(DOCS, "nope"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("policy document is not valid JSON");
  }

  // ------------------------------------------------------------------ helpers

  private static ReadGrant grant(List<String> actions, BucketGrant... buckets) {
    return new ReadGrant(List.of(buckets), actions);
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("%s is an array", array).isTrue();
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static <T> List<List<T>> permutations(List<T> items) {
    if (items.size() <= 1) {
      return List.of(items);
    }
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T first = rest.remove(i);
      for (List<T> tail : permutations(rest)) {
        List<T> permutation = new ArrayList<>();
        permutation.add(first);
        permutation.addAll(tail);
        out.add(Collections.unmodifiableList(permutation));
      }
    }
    return out;
  }
}
