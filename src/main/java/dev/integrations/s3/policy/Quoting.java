package dev.integrations.s3.policy;

/** Renders user values inside messages: quoted, escaped and cut to a readable length. */
final class Quoting {

  /** Values longer than this are shortened in messages. */
  static final int MAX_SHOWN = 100;

  private Quoting() {}

  /**
   * Quotes {@code value} with double quotes, escaping quotes, backslashes and control characters so
   * the quoted text is unambiguous; values over {@value #MAX_SHOWN} characters are cut and marked
   * with "...".
   */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    int end = Math.min(value.length(), MAX_SHOWN);
    if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    String shown = value.substring(0, end);
    StringBuilder out = new StringBuilder(shown.length() + 8).append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    if (shown.length() < value.length()) {
      out.append("...");
    }
    return out.toString();
  }
}
