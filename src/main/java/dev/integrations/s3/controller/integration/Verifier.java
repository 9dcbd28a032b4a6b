package dev.integrations.s3.controller.integration;

import static dev.integrations.s3.status.ConditionTypes.ACCESS_VERIFIED;

import dev.integrations.s3.api.v1alpha1.BucketStatus;
import dev.integrations.s3.controller.common.StepFailure;
import dev.integrations.s3.controller.common.StorageConnections;
import dev.integrations.s3.controller.integration.plan.Decision;
import dev.integrations.s3.controller.integration.plan.IntegrationModel;
import dev.integrations.s3.status.Conditions;
import dev.integrations.s3.status.Reasons;
import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.storage.StorageException;
import dev.integrations.s3.verify.AccessProber;
import dev.integrations.s3.verify.BucketScope;
import dev.integrations.s3.verify.ProbeBudget;
import dev.integrations.s3.verify.ProbeResult;
import java.time.Instant;
import java.util.List;

/** Verification with the issued keys, and when it is due next. */
final class Verifier {
  private final AccessProber prober;

  Verifier(AccessProber prober) {
    this.prober = prober;
  }

  /**
   * Probes every bucket in scope with the plan's keys.
   *
   * @throws StepFailure of AccessVerified: endpoint-wide failures, and keys rejected (in managed
   *     mode a race with a change on the server, retried; in validate-only mode the given keys no
   *     longer work)
   */
  List<BucketStatus> probe(
      IntegrationModel m, StorageConnections.Connection c, Decision.Plan plan, Instant deadline) {
    // A rotating start: buckets a spent budget left out come first next time.
    int offset =
        (int)
            Math.floorMod(
                Instant.now().getEpochSecond() / 60, Math.max(1, m.access().scopes().size()));
    ProbeBudget budget = new ProbeBudget(ProbeBudget.DEFAULT_MAX_REQUESTS, deadline, offset);
    try {
      return prober
          .probe(c.endpoint(), plan.accessKey(), plan.secretKey(), m.access().scopes(), budget)
          .stream()
          .map(Verifier::toStatus)
          .toList();
    } catch (StorageException e) {
      if (m.managed() && Reasons.CREDENTIALS_REJECTED.equals(e.reason())) {
        // The observation found the key working (or the plan just set it): the server changed in
        // between. The next reconcile observes again and repairs.
        throw StepFailure.transientFailure(
            ACCESS_VERIFIED,
            e.reason(),
            e.getMessage() + "; the user changed on the server during the reconcile, retrying");
      }
      throw StepFailure.of(ACCESS_VERIFIED, e);
    }
  }

  /**
   * What the browser-facing endpoint says to the issued keys.
   *
   * @param status True, False or Unknown
   * @param reason Verified, PublicEndpointRefused or PublicEndpointUnreachable
   * @param message what was tried and what answered, without keys
   */
  record PublicCheck(String status, String reason, String message) {}

  /**
   * Lists (and reads one object of) the first bucket in scope through the store's public endpoint
   * with the plan's keys, the way a browser's presigned request reaches the storage: two requests
   * at most. An endpoint the operator cannot reach (split-horizon DNS, no route from the cluster)
   * is Unknown, not False: browsers may still reach it.
   */
  PublicCheck checkPublic(
      StorageEndpoint endpoint,
      IntegrationModel m,
      StorageConnections.Connection c,
      Decision.Plan plan,
      Instant deadline) {
    String url = endpoint.url();
    if (m.access().scopes().isEmpty()) {
      return new PublicCheck(
          Conditions.UNKNOWN, Reasons.PENDING, "no bucket in scope to check " + url + " with");
    }
    BucketScope scope = m.access().scopes().get(0);
    try {
      ProbeResult r =
          prober
              .probe(
                  endpoint.withCa(c.caPem()),
                  plan.accessKey(),
                  plan.secretKey(),
                  List.of(scope),
                  new ProbeBudget(2, deadline, 0))
              .get(0);
      if (r.list() == ProbeResult.Outcome.Allowed) {
        return new PublicCheck(
            Conditions.TRUE,
            Reasons.VERIFIED,
            "the issued keys can list"
                + (r.get() == ProbeResult.Outcome.Allowed ? " and get" : "")
                + " in bucket \""
                + scope.bucket()
                + "\" through "
                + url);
      }
      return new PublicCheck(
          Conditions.FALSE,
          Reasons.PUBLIC_ENDPOINT_REFUSED,
          url
              + " refused what "
              + m.endpoint().url()
              + " allows: list of bucket \""
              + scope.bucket()
              + "\" "
              + (r.list() == null ? "not probed" : r.list().name())
              + (r.message() == null ? "" : " (" + r.message() + ")")
              + "; presigned URLs naming it will fail in browsers");
    } catch (StorageException e) {
      return failedPublic(url, e);
    }
  }

  /**
   * The public endpoint did not answer the probe: Unknown when the operator cannot reach it
   * (browsers may), False when it answered with an error.
   */
  private static PublicCheck failedPublic(String url, StorageException e) {
    boolean unreachable =
        Reasons.ENDPOINT_UNREACHABLE.equals(e.reason()) || Reasons.TLS_ERROR.equals(e.reason());
    return unreachable
        ? new PublicCheck(
            Conditions.UNKNOWN,
            Reasons.PUBLIC_ENDPOINT_UNREACHABLE,
            "not verified: the operator cannot reach it ("
                + e.getMessage()
                + "); browsers may, from where they are")
        : new PublicCheck(
            Conditions.FALSE,
            Reasons.PUBLIC_ENDPOINT_REFUSED,
            e.getMessage() + "; presigned URLs naming " + url + " will fail in browsers");
  }

  private static BucketStatus toStatus(ProbeResult r) {
    return new BucketStatus(r.bucket(), result(r.list()), result(r.get()), r.message());
  }

  private static BucketStatus.Result result(ProbeResult.Outcome o) {
    return o == null ? null : BucketStatus.Result.valueOf(o.name());
  }
}
