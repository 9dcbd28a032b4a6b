package dev.integrations.s3.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders read grants as an S3 (MinIO/AWS IAM) policy document and compares policy documents.
 *
 * <p>The operator writes the rendered policy to the storage server and later reads it back to
 * decide whether it must be updated. Both directions need a stable form: {@link #render} and {@link
 * #merge} give byte-identical output for equal grants however they are ordered or repeated, and
 * {@link #canonical} removes the differences a server introduces when it stores a policy, so that
 * {@link #equivalent} only reports real changes. Documents are built with Jackson nodes, never by
 * string concatenation, so no user value can break out of its JSON string.
 *
 * <h2>Normalisation</h2>
 *
 * All grants become a set of units (bucket, action, scope), the scope being the whole bucket or a
 * key prefix. {@code s3:GetBucketLocation} is always whole-bucket. A whole-bucket unit makes the
 * prefix units of the same bucket and action redundant, and a prefix makes the longer prefixes it
 * starts (e.g. {@code logs/} covers {@code logs/2024/}) redundant, since both match the same keys.
 *
 * <h2>Statements and Sids</h2>
 *
 * Statements come in this order, and their Sids (alphanumeric, unique in the document) are:
 *
 * <ol>
 *   <li>Whole-bucket statements: buckets with identical whole-bucket action sets share one
 *       statement, ordered by their alphabetically first bucket. Sids {@code S3ListBucket}, {@code
 *       S3ListBucket2}, {@code S3ListBucket3}, ... Resources per bucket (sorted): {@code
 *       arn:aws:s3:::b} if a bucket-level action is granted, then {@code arn:aws:s3:::b/*} if an
 *       object-level action is.
 *   <li>Then, per bucket in alphabetical order, the prefix statements: {@code s3:ListBucket} on
 *       {@code arn:aws:s3:::b} with condition {@code StringLike s3:prefix ["p*", ...]}, Sids {@code
 *       S3ListPrefixes1}, {@code S3ListPrefixes2}, ... numbered across the document; and one
 *       statement per group of object-level actions sharing the same prefixes, on {@code
 *       arn:aws:s3:::b/p*}, Sids {@code S3GetPrefixes1}, {@code S3GetPrefixes2}, ...
 * </ol>
 *
 * Actions, resources and condition values are sorted.
 */
public final class PolicyDocument {

  /**
   * The largest document MinIO stores as a canned policy (it answers EntityTooLarge beyond), in
   * bytes of the compact JSON this class renders. Checked before anything is written.
   */
  public static final int MAX_BYTES = 20 * 1024;

  /** The IAM policy language version of every rendered document. */
  public static final String VERSION = "2012-10-17";

  static final String ARN_PREFIX = "arn:aws:s3:::";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Statement fields whose value may be one string or an array of strings. */
  private static final Set<String> STRING_OR_ARRAY =
      Set.of("Action", "NotAction", "Resource", "NotResource");

  private static final int MAX_ERROR_DETAIL = 100;

  private PolicyDocument() {}

  /**
   * Renders one grant as a compact policy document; the same as {@code merge(List.of(grant))}.
   *
   * @throws InvalidPolicyException listing every problem when the grant is not valid
   */
  public static String render(ReadGrant grant) {
    return merge(List.of(grant));
  }

  /**
   * Renders the union of several grants as one compact policy document.
   *
   * <p>The output depends only on the set of access units the grants describe, so reordering or
   * repeating grants, buckets, prefixes or actions yields byte-identical output.
   *
   * @throws InvalidPolicyException listing every problem when the list is empty or a grant is not
   *     valid; with several grants each message starts with {@code grants[i]: }
   */
  public static String merge(List<ReadGrant> grants) {
    if (grants == null || grants.isEmpty()) {
      throw new InvalidPolicyException("at least one read grant is required");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < grants.size(); i++) {
      String where = grants.size() == 1 ? "" : "grants[" + i + "]: ";
      for (String problem : PolicyValidator.problems(grants.get(i))) {
        problems.add(where + problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(problems);
    }
    return write(statements(normalise(grants)));
  }

  /**
   * Returns a canonical compact form of a policy document, for comparison.
   *
   * <p>It ignores what does not change the meaning or what a policy server changes when it stores
   * and returns a policy: whitespace and key order (keys are sorted recursively); a single string
   * where an array is allowed ({@code Action}, {@code NotAction}, {@code Resource}, {@code
   * NotResource}, condition values, principal values) becomes a one-element array; arrays of
   * scalars are sorted and de-duplicated; a single statement object becomes a one-element array;
   * statements are sorted by their canonical form and de-duplicated; a missing, null or empty
   * {@code Sid} is dropped. Everything else, including non-empty Sids, is kept.
   *
   * @throws InvalidPolicyException when {@code json} is null, empty, not valid JSON or not a JSON
   *     object; the message quotes at most about 100 characters of detail
   */
  public static String canonical(String json) {
    return write(canonicalDocument(parse(json)));
  }

  /**
   * Whether two policy documents have the same {@link #canonical} form.
   *
   * @throws InvalidPolicyException when either document cannot be parsed
   */
  public static boolean equivalent(String a, String b) {
    return canonical(a).equals(canonical(b));
  }

  /**
   * What a document in the shape {@link #merge} writes grants: one grant per statement and
   * resource, with that statement's actions. {@code GetBucketLocation} comes back as a whole-bucket
   * grant of its own (the renderer always grants it on the whole bucket). Anything this class does
   * not write (Deny, NotAction, NotResource, another condition, an ARN that is not an S3 bucket or
   * object prefix, an action outside {@link ReadActions#ALLOWED}) is refused: whoever reads this to
   * revoke access must not guess what an unknown document allows.
   *
   * @throws InvalidPolicyException when the document is not of that shape
   */
  public static List<ReadGrant> grantsOf(String json) {
    ObjectNode document = parse(json);
    List<ReadGrant> grants = new ArrayList<>();
    JsonNode all = document.path("Statement");
    for (JsonNode statement : all.isObject() ? NODES.arrayNode().add(all) : asArray(all)) {
      if (!statement.isObject() || !"Allow".equals(statement.path("Effect").asText())) {
        throw new InvalidPolicyException("a statement is not an Allow statement");
      }
      for (String field : sortedKeys(statement)) {
        if (!Set.of("Sid", "Effect", "Action", "Resource", "Condition").contains(field)) {
          throw new InvalidPolicyException("a statement has " + field);
        }
      }
      List<String> actions = strings(statement.path("Action"));
      for (String action : actions) {
        if (!ReadActions.ALLOWED.contains(action)) {
          throw new InvalidPolicyException("a statement grants " + cut(action));
        }
      }
      List<String> conditionPrefixes = conditionPrefixes(statement.path("Condition"));
      for (String resource : strings(statement.path("Resource"))) {
        if (!resource.startsWith(ARN_PREFIX) || resource.length() == ARN_PREFIX.length()) {
          throw new InvalidPolicyException("a statement names " + cut(resource));
        }
        String path = resource.substring(ARN_PREFIX.length());
        int slash = path.indexOf('/');
        if (slash < 0) {
          List<String> bucketLevel = actions.stream().filter(ReadActions::isBucketLevel).toList();
          grants.add(
              new ReadGrant(
                  List.of(new BucketGrant(path, conditionPrefixes)),
                  bucketLevel.isEmpty() ? actions : bucketLevel));
        } else {
          String rest = path.substring(slash + 1);
          if (!rest.endsWith("*") || conditionPrefixes.size() > 0) {
            throw new InvalidPolicyException("a statement names " + cut(resource));
          }
          String prefix = rest.substring(0, rest.length() - 1);
          List<String> objectLevel = actions.stream().filter(ReadActions::isObjectLevel).toList();
          grants.add(
              new ReadGrant(
                  List.of(
                      new BucketGrant(
                          path.substring(0, slash),
                          prefix.isEmpty() ? List.of() : List.of(prefix))),
                  objectLevel.isEmpty() ? actions : objectLevel));
        }
      }
    }
    return grants;
  }

  /** The prefixes of an {@code s3:prefix} StringLike condition (each ending in *), or none. */
  private static List<String> conditionPrefixes(JsonNode condition) {
    if (condition.isMissingNode() || condition.isNull()) {
      return List.of();
    }
    if (!condition.isObject()
        || condition.size() != 1
        || !condition.has("StringLike")
        || condition.get("StringLike").size() != 1
        || !condition.get("StringLike").has("s3:prefix")) {
      throw new InvalidPolicyException("a statement has a condition other than s3:prefix");
    }
    List<String> prefixes = new ArrayList<>();
    for (String value : strings(condition.get("StringLike").get("s3:prefix"))) {
      if (!value.endsWith("*") || value.length() < 2) {
        throw new InvalidPolicyException("a statement has the prefix condition " + cut(value));
      }
      prefixes.add(value.substring(0, value.length() - 1));
    }
    return prefixes;
  }

  private static List<String> strings(JsonNode value) {
    List<String> out = new ArrayList<>();
    if (value.isObject()) {
      throw new InvalidPolicyException("a statement has an object where strings belong");
    }
    for (JsonNode v : asArray(value)) {
      if (!v.isTextual()) {
        throw new InvalidPolicyException("a statement has a value that is not a string");
      }
      out.add(v.asText());
    }
    return out;
  }

  // ---------------------------------------------------------------- normalisation and rendering

  /** The access to one (bucket, action): whole bucket, or the minimal set of prefixes. */
  private static final class Scope {
    boolean wholeBucket;
    final TreeSet<String> prefixes = new TreeSet<>();

    /** The prefixes without those another prefix in the set already covers. */
    List<String> minimalPrefixes() {
      List<String> kept = new ArrayList<>();
      for (String prefix : prefixes) { // sorted: a covering prefix comes right before
        if (kept.isEmpty() || !prefix.startsWith(kept.get(kept.size() - 1))) {
          kept.add(prefix);
        }
      }
      return kept;
    }
  }

  /** bucket -> action -> scope, all sorted. */
  private static TreeMap<String, TreeMap<String, Scope>> normalise(List<ReadGrant> grants) {
    TreeMap<String, TreeMap<String, Scope>> units = new TreeMap<>();
    for (ReadGrant grant : grants) {
      for (BucketGrant bucket : grant.buckets()) {
        TreeMap<String, Scope> byAction =
            units.computeIfAbsent(bucket.bucket(), b -> new TreeMap<>());
        for (String action : grant.effectiveActions()) {
          Scope scope = byAction.computeIfAbsent(action, a -> new Scope());
          if (bucket.isWholeBucket() || action.equals(ReadActions.GET_BUCKET_LOCATION)) {
            scope.wholeBucket = true;
          } else {
            scope.prefixes.addAll(bucket.prefixes());
          }
        }
      }
    }
    return units;
  }

  private static ObjectNode statements(TreeMap<String, TreeMap<String, Scope>> units) {
    ArrayNode statements = NODES.arrayNode();

    // Whole-bucket statements, one per distinct action set, in order of first bucket.
    Map<SortedSet<String>, List<String>> bucketsByActions = new LinkedHashMap<>();
    units.forEach(
        (bucket, byAction) -> {
          TreeSet<String> actions = new TreeSet<>();
          byAction.forEach(
              (action, scope) -> {
                if (scope.wholeBucket) {
                  actions.add(action);
                }
              });
          if (!actions.isEmpty()) {
            bucketsByActions.computeIfAbsent(actions, a -> new ArrayList<>()).add(bucket);
          }
        });
    int wholeCount = 0;
    for (Map.Entry<SortedSet<String>, List<String>> group : bucketsByActions.entrySet()) {
      wholeCount++;
      Set<String> actions = group.getKey();
      boolean bucketLevel = actions.stream().anyMatch(ReadActions::isBucketLevel);
      boolean objectLevel = actions.stream().anyMatch(ReadActions::isObjectLevel);
      List<String> resources = new ArrayList<>();
      for (String bucket : group.getValue()) {
        if (bucketLevel) {
          resources.add(ARN_PREFIX + bucket);
        }
        if (objectLevel) {
          resources.add(ARN_PREFIX + bucket + "/*");
        }
      }
      String sid = wholeCount == 1 ? "S3ListBucket" : "S3ListBucket" + wholeCount;
      statements.add(statement(sid, actions, resources));
    }

    // Prefix statements, per bucket.
    int listCount = 0;
    int getCount = 0;
    for (Map.Entry<String, TreeMap<String, Scope>> entry : units.entrySet()) {
      String bucket = entry.getKey();
      Map<List<String>, TreeSet<String>> actionsByPrefixes = new LinkedHashMap<>();
      for (Map.Entry<String, Scope> unit : entry.getValue().entrySet()) {
        String action = unit.getKey();
        Scope scope = unit.getValue();
        if (scope.wholeBucket || scope.prefixes.isEmpty()) {
          continue;
        }
        List<String> prefixes = scope.minimalPrefixes();
        if (action.equals(ReadActions.LIST_BUCKET)) {
          listCount++;
          ObjectNode statement =
              statement(
                  "S3ListPrefixes" + listCount, List.of(action), List.of(ARN_PREFIX + bucket));
          ArrayNode values =
              statement.putObject("Condition").putObject("StringLike").putArray("s3:prefix");
          prefixes.forEach(p -> values.add(p + "*"));
          statements.add(statement);
        } else {
          actionsByPrefixes.computeIfAbsent(prefixes, p -> new TreeSet<>()).add(action);
        }
      }
      for (Map.Entry<List<String>, TreeSet<String>> group : actionsByPrefixes.entrySet()) {
        getCount++;
        List<String> resources = new ArrayList<>();
        group.getKey().forEach(p -> resources.add(ARN_PREFIX + bucket + "/" + p + "*"));
        statements.add(statement("S3GetPrefixes" + getCount, group.getValue(), resources));
      }
    }

    ObjectNode document = NODES.objectNode();
    document.put("Version", VERSION);
    document.set("Statement", statements);
    return document;
  }

  private static ObjectNode statement(
      String sid, Collection<String> actions, Collection<String> resources) {
    ObjectNode statement = NODES.objectNode();
    statement.put("Sid", sid);
    statement.put("Effect", "Allow");
    actions.forEach(statement.putArray("Action")::add);
    resources.forEach(statement.putArray("Resource")::add);
    return statement;
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e); // cannot happen for trees
    }
  }

  // ---------------------------------------------------------------- canonical form

  private static ObjectNode parse(String json) {
    if (json == null) {
      throw new InvalidPolicyException("policy document must be set");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // The parser's own message can quote long stretches of input, so only a cut detail is kept
      // and the exception is not attached as cause.
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String detail = e.getOriginalMessage();
      if (detail != null && detail.startsWith("Trailing token")) {
        detail = "more content follows the end of the document";
      }
      throw new InvalidPolicyException(
          "policy document is not valid JSON" + where + ": " + cut(detail));
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidPolicyException("policy document is empty");
    }
    if (!root.isObject()) {
      throw new InvalidPolicyException(
          "policy document must be a JSON object, but is "
              + root.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return (ObjectNode) root;
  }

  private static String cut(String detail) {
    if (detail == null) {
      return "unknown error";
    }
    String oneLine = detail.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_ERROR_DETAIL
        ? oneLine
        : oneLine.substring(0, MAX_ERROR_DETAIL) + "...";
  }

  private static ObjectNode canonicalDocument(ObjectNode document) {
    ObjectNode out = NODES.objectNode();
    for (String key : sortedKeys(document)) {
      JsonNode value = document.get(key);
      if (key.equals("Statement")) {
        out.set(key, canonicalStatements(value));
      } else {
        out.set(key, canonicalValue(value));
      }
    }
    return out;
  }

  private static JsonNode canonicalStatements(JsonNode statements) {
    if (statements.isObject()) {
      statements = NODES.arrayNode().add(statements);
    }
    if (!statements.isArray()) {
      return canonicalValue(statements);
    }
    TreeMap<String, JsonNode> sorted = new TreeMap<>(); // by canonical text: sorts and de-dups
    for (JsonNode statement : statements) {
      JsonNode canonical =
          statement.isObject()
              ? canonicalStatement((ObjectNode) statement)
              : canonicalValue(statement);
      sorted.put(write(canonical), canonical);
    }
    ArrayNode out = NODES.arrayNode();
    sorted.values().forEach(out::add);
    return out;
  }

  private static ObjectNode canonicalStatement(ObjectNode statement) {
    ObjectNode out = NODES.objectNode();
    for (String key : sortedKeys(statement)) {
      JsonNode value = statement.get(key);
      if (key.equals("Sid")
          && (value.isNull() || (value.isTextual() && value.asText().isEmpty()))) {
        continue;
      }
      if (STRING_OR_ARRAY.contains(key)) {
        value = asArray(value);
      } else if (key.equals("Condition") && value.isObject()) {
        value = mapLeaves(value, 2);
      } else if ((key.equals("Principal") || key.equals("NotPrincipal")) && value.isObject()) {
        value = mapLeaves(value, 1);
      }
      out.set(key, canonicalValue(value));
    }
    return out;
  }

  /** Wraps the scalar values found {@code depth} object levels down into one-element arrays. */
  private static JsonNode mapLeaves(JsonNode node, int depth) {
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      out.set(
          field.getKey(),
          depth == 1 ? asArray(field.getValue()) : mapLeaves(field.getValue(), depth - 1));
    }
    return out;
  }

  private static JsonNode asArray(JsonNode value) {
    return value.isValueNode() && !value.isNull() ? NODES.arrayNode().add(value) : value;
  }

  /** Sorts object keys recursively; sorts and de-dups arrays whose elements are all scalars. */
  private static JsonNode canonicalValue(JsonNode value) {
    if (value.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (String key : sortedKeys(value)) {
        out.set(key, canonicalValue(value.get(key)));
      }
      return out;
    }
    if (value.isArray()) {
      boolean scalars = true;
      List<JsonNode> elements = new ArrayList<>();
      for (JsonNode element : value) {
        scalars &= element.isValueNode();
        elements.add(canonicalValue(element));
      }
      ArrayNode out = NODES.arrayNode();
      if (scalars) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        elements.forEach(e -> sorted.put(write(e), e));
        sorted.values().forEach(out::add);
      } else {
        elements.forEach(out::add);
      }
      return out;
    }
    return value;
  }

  private static List<String> sortedKeys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    object.properties().forEach(field -> keys.add(field.getKey()));
    keys.sort(null);
    return keys;
  }
}
