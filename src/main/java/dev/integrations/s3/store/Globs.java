package dev.integrations.s3.store;

/** Bucket-name globs of allow rules: {@code *} any run of characters, {@code ?} exactly one. */
public final class Globs {
  private Globs() {}

  /** Whether the name matches the glob (whole name, case-sensitive). */
  public static boolean matches(String glob, String name) {
    return matches(glob, 0, name, 0);
  }

  private static boolean matches(String g, int gi, String n, int ni) {
    // Iterative with one backtrack point for the last '*': linear for bucket-sized inputs.
    int star = -1;
    int mark = 0;
    while (ni < n.length()) {
      if (gi < g.length() && (g.charAt(gi) == '?' || g.charAt(gi) == n.charAt(ni))) {
        gi++;
        ni++;
      } else if (gi < g.length() && g.charAt(gi) == '*') {
        star = gi++;
        mark = ni;
      } else if (star >= 0) {
        gi = star + 1;
        ni = ++mark;
      } else {
        return false;
      }
    }
    while (gi < g.length() && g.charAt(gi) == '*') {
      gi++;
    }
    return gi == g.length();
  }
}
