package dev.integrations.s3.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Equality and copies of status objects by their JSON form, the form that is written to the API
 * server: no hand-kept {@code equals} or {@code copy} to forget a field in.
 */
public final class Statuses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Statuses() {}

  /** True when both serialize to the same JSON (null equals an empty object). */
  public static boolean same(Object a, Object b) {
    return tree(a).equals(tree(b));
  }

  /** A deep copy through JSON; null becomes a new empty instance. */
  public static <T> T copy(T status, Class<T> type) {
    try {
      return status == null
          ? type.getDeclaredConstructor().newInstance()
          : JSON.convertValue(JSON.valueToTree(status), type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type + " has no public no-argument constructor", e);
    }
  }

  private static JsonNode tree(Object o) {
    return o == null ? JSON.createObjectNode() : JSON.valueToTree(o);
  }
}
