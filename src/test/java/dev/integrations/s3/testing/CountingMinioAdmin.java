package dev.integrations.s3.testing;

import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.minio.MinioAdmin;
import dev.integrations.s3.storage.minio.MinioAdminFactory;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Wraps the real admin connections the operator opens and counts every call by operation, so that
 * tests can prove "no write to MinIO" in steady state. A fault can be injected before an operation.
 */
public final class CountingMinioAdmin implements MinioAdminFactory {
  public static final Set<String> WRITES =
      Set.of(
          "createUser",
          "deleteUser",
          "createServiceAccount",
          "deleteServiceAccount",
          "putPolicy",
          "deletePolicy",
          "attachPolicy",
          "detachAllPolicies");

  private final MinioAdminFactory delegate;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, Consumer<String>> faults = new ConcurrentHashMap<>();
  private final Map<String, Consumer<String>> after = new ConcurrentHashMap<>();

  public CountingMinioAdmin(MinioAdminFactory delegate) {
    this.delegate = delegate;
  }

  /**
   * Runs {@code fault} (which may throw) with the first argument before each call of {@code op}.
   */
  public void inject(String op, Consumer<String> fault) {
    faults.put(op, fault);
  }

  /** Runs {@code fault} (which may throw) with the first argument after each call of {@code op}. */
  public void injectAfter(String op, Consumer<String> fault) {
    after.put(op, fault);
  }

  public void clearFaults() {
    faults.clear();
    after.clear();
  }

  private void done(String op, String arg) {
    Consumer<String> fault = after.get(op);
    if (fault != null) {
      fault.accept(arg);
    }
  }

  public void reset() {
    calls.clear();
  }

  public int count(String op) {
    AtomicInteger n = calls.get(op);
    return n == null ? 0 : n.get();
  }

  /** Number of calls that change something on the server. */
  public int writes() {
    return WRITES.stream().mapToInt(this::count).sum();
  }

  /** Number of read-only calls. */
  public int reads() {
    return count("user") + count("policy");
  }

  public Map<String, Integer> snapshot() {
    Map<String, Integer> m = new java.util.TreeMap<>();
    calls.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Write calls that concerned this user or policy name. */
  public int writes(String name) {
    return WRITES.stream().mapToInt(op -> count(op, name)).sum()
        + WRITES.stream().mapToInt(op -> count(op, "s3i-" + name)).sum();
  }

  /** Calls of {@code op} whose first argument (user or policy name) was {@code arg}. */
  public int count(String op, String arg) {
    AtomicInteger n = calls.get(op + "(" + arg + ")");
    return n == null ? 0 : n.get();
  }

  private void record(String op, String arg) {
    calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    calls.computeIfAbsent(op + "(" + arg + ")", k -> new AtomicInteger()).incrementAndGet();
    Consumer<String> fault = faults.get(op);
    if (fault != null) {
      fault.accept(arg);
    }
  }

  @Override
  public MinioAdmin connect(StorageEndpoint endpoint, String ak, String sk) {
    MinioAdmin real = delegate.connect(endpoint, ak, sk);
    return new MinioAdmin() {
      @Override
      public Optional<MinioUser> user(String accessKey) {
        record("user", accessKey);
        return real.user(accessKey);
      }

      @Override
      public void createUser(String accessKey, String secretKey) {
        record("createUser", accessKey);
        real.createUser(accessKey, secretKey);
        done("createUser", accessKey);
      }

      @Override
      public void deleteUser(String accessKey) {
        record("deleteUser", accessKey);
        real.deleteUser(accessKey);
        done("deleteUser", accessKey);
      }

      @Override
      public void createServiceAccount(
          String parent, String accessKey, String secretKey, java.time.Instant expiration) {
        record("createServiceAccount", accessKey);
        real.createServiceAccount(parent, accessKey, secretKey, expiration);
        done("createServiceAccount", accessKey);
      }

      @Override
      public void deleteServiceAccount(String accessKey) {
        record("deleteServiceAccount", accessKey);
        real.deleteServiceAccount(accessKey);
        done("deleteServiceAccount", accessKey);
      }

      @Override
      public Optional<String> policy(String name) {
        record("policy", name);
        return real.policy(name);
      }

      @Override
      public void putPolicy(String name, String document) {
        record("putPolicy", name);
        real.putPolicy(name, document);
      }

      @Override
      public void deletePolicy(String name) {
        record("deletePolicy", name);
        real.deletePolicy(name);
      }

      @Override
      public void attachPolicy(String accessKey, String policyName) {
        record("attachPolicy", accessKey);
        real.attachPolicy(accessKey, policyName);
      }

      @Override
      public void detachAllPolicies(String accessKey) {
        record("detachAllPolicies", accessKey);
        real.detachAllPolicies(accessKey);
      }
    };
  }
}
