package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.status.ConditionTypes;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.minio.MinioNames;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Two stores on one endpoint whose user prefixes overlap can derive one MinIO user for two
 * integrations: {@code k8s.} for {@code team-a/x.y} and {@code k8s.team-a.} for {@code x/y} both
 * give {@code k8s.team-a.x.y} (issue 21, item 13). Ownership records already stop a takeover, but
 * the second integration would wait in {@code UserConflict} forever, a conflict a tenant could
 * cause for another. So an integration is refused when its user can also be derived on another
 * store of its endpoint, for a namespace that store serves now, and its own store is the newer of
 * the two, a tenant's S3Store always being newer than a ClusterS3Store: a tenant's store never
 * takes the platform's out of service, not even by editing the prefix of an old S3Store.
 *
 * <p>Exact, not by prefixes alone: {@code ""} beside {@code k8s.} collides only when the store with
 * the empty prefix serves a namespace named {@code k8s}. Pure; the caller passes the stores on the
 * endpoint and what each serves, from the caches.
 */
public final class UserNameOverlap {
  private UserNameOverlap() {}

  /**
   * A store as the rule sees it.
   *
   * @param id {@code ClusterS3Store/<name>} or {@code S3Store/<ns>/<name>}
   * @param userPrefix its {@code admin.userPrefix} ("" for none)
   * @param created its creationTimestamp (RFC 3339 in UTC, so ordered as text; "" unknown)
   * @param serves whether it serves a namespace now (it exists and the store's rules admit it)
   */
  public record Store(String id, String userPrefix, String created, Predicate<String> serves) {
    /**
     * Whether this store yields to the other: a tenant's S3Store always yields to a ClusterS3Store
     * (whatever their ages: a tenant can edit an old S3Store's prefix, never the platform's);
     * between two of a kind, the one created later, or at once and later by id.
     */
    public boolean newerThan(Store other) {
      boolean tenant = id.startsWith(TENANT_KIND);
      boolean otherTenant = other.id.startsWith(TENANT_KIND);
      if (tenant != otherTenant) {
        return tenant;
      }
      int c = created.compareTo(other.created);
      return c > 0 || (c == 0 && id.compareTo(other.id) > 0);
    }
  }

  /** How a tenant's own store's id begins. */
  private static final String TENANT_KIND = "S3Store/";

  /** Where a hashed name ({@link MinioNames#userName}) has its dash: 64 - 16 - 1. */
  private static final int HASH_DASH = MinioNames.MAX_USER_NAME_LENGTH - 16 - 1;

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{16}");

  /**
   * The refusal of an integration whose user another, older store on the endpoint can derive, or
   * empty. Its own store's integrations are not compared (one prefix derives distinct names), nor
   * are stores with the same prefix (they derive the same name only for the same integration).
   *
   * @param user the user the integration gets on its store
   * @param namespace the integration's namespace
   * @param name the integration's name
   * @param own its store
   * @param others the other stores with admin keys on the same endpoint
   * @param namespaces the namespaces there are (read only for a name of the hashed form)
   */
  public static Optional<StepFailure> refusal(
      String user,
      String namespace,
      String name,
      Store own,
      List<Store> others,
      Supplier<? extends Collection<String>> namespaces) {
    for (Store other : others) {
      if (!other.id().equals(own.id())
          && own.newerThan(other)
          && derivable(user, own.userPrefix(), namespace, name, other, namespaces)) {
        return Optional.of(
            StepFailure.permanent(
                ConditionTypes.CREDENTIALS_READY,
                Reasons.USER_NAME_OVERLAP,
                "MinIO user \""
                    + user
                    + "\", the name this integration gets on "
                    + own.id()
                    + ", can also be derived by another store on the same endpoint for a"
                    + " namespace it serves, so two integrations could claim one user; nothing"
                    + " is created or changed. Give "
                    + own.id()
                    + " an admin.userPrefix that neither starts with another store's prefix on"
                    + " this endpoint nor is the start of one"));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code other} derives {@code user} for some integration in a namespace it serves, when
   * {@code user} was derived on a store with prefix {@code p} for {@code namespace/name}.
   *
   * <p>A name the other store derives unhashed is {@code q + ns' + "." + name'} ({@code q} its
   * prefix); namespaces hold no dot, so {@code ns'} is what follows {@code q} up to the first dot:
   * exact. A hashed one is 64 characters, a dash at 47 and 16 hex of SHA-256 of {@code q + ns' +
   * "/" + name'}: if {@code user} is hashed itself, the hashes agree only for the same input
   * ({@code q + ns' = p + namespace}, {@code name' = name}), checked exactly; if it only looks
   * hashed (a name chosen to end in a dash and 16 hex), any served namespace whose hashed names
   * start with the same 47 characters counts.
   */
  static boolean derivable(
      String user,
      String p,
      String namespace,
      String name,
      Store other,
      Supplier<? extends Collection<String>> namespaces) {
    String q = other.userPrefix();
    if (q.equals(p)) {
      return false;
    }
    if (user.startsWith(q)) {
      String r = user.substring(q.length());
      int dot = r.indexOf('.');
      if (dot > 0 && dot < r.length() - 1) {
        String ns = r.substring(0, dot);
        if (other.serves().test(ns)
            && MinioNames.userName(q, ns, r.substring(dot + 1)).equals(user)) {
          return true;
        }
      }
    }
    if (!hashedShape(user)) {
      return false; // no hashed name the other derives can be this one
    }
    if (!user.equals(p + namespace + "." + name)) {
      String joined = p + namespace; // hashed itself: the same input or no match
      if (!joined.startsWith(q) || joined.length() == q.length()) {
        return false;
      }
      String ns = joined.substring(q.length());
      return other.serves().test(ns) && MinioNames.userName(q, ns, name).equals(user);
    }
    String head = user.substring(0, HASH_DASH);
    String visible = visible(q);
    return namespaces.get().stream()
        .anyMatch(
            n -> {
              String start = visible + n + ".";
              return (head.startsWith(start) || start.startsWith(head)) && other.serves().test(n);
            });
  }

  /**
   * A cheap necessary condition, without deriving a name: whether the start of a user on one store
   * ({@code own}, e.g. {@code <prefix><namespace>.<name>}) and the start of a name the other
   * derives ({@code other}, e.g. {@code <prefix><namespace>.}) agree as far as both go, up to the
   * 47 characters a hashed name keeps. Prefixes are taken as {@link #visible}.
   */
  public static boolean mayShareStart(String own, String other) {
    int n = Math.min(HASH_DASH, Math.min(own.length(), other.length()));
    return own.regionMatches(0, other, 0, n);
  }

  /** A prefix as it starts the names derived with it: {@code u} before one not starting alike. */
  public static String visible(String prefix) {
    return prefix.isEmpty() || Character.isLetterOrDigit(prefix.charAt(0)) ? prefix : "u" + prefix;
  }

  private static boolean hashedShape(String user) {
    return user.length() == MinioNames.MAX_USER_NAME_LENGTH
        && user.charAt(HASH_DASH) == '-'
        && HASH.matcher(user.substring(HASH_DASH + 1)).matches();
  }
}
