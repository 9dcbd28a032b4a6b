package dev.integrations.s3.controller.integration.plan;

import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.ownership.OwnershipRecord;
import dev.integrations.s3.ownership.OwnershipRecordSecret;
import dev.integrations.s3.policy.BucketGrant;
import dev.integrations.s3.policy.InvalidPolicyException;
import dev.integrations.s3.policy.PolicyDocument;
import dev.integrations.s3.policy.ReadActions;
import dev.integrations.s3.policy.ReadGrant;
import dev.integrations.s3.storage.minio.MinioNames;
import dev.integrations.s3.store.ResolvedStore;
import dev.integrations.s3.store.StoreAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the platform's revocation asks of one ownership record, whatever the integration's spec,
 * {@code paused} annotation or deletion policy say: the record (the operator's own, in its own
 * namespace) and the store's rules decide, never the tenant. Pure.
 *
 * <ul>
 *   <li>A record whose integration no longer exists (its finalizer was removed by hand, or its
 *       deletion was released with skip-cleanup) is an orphan: its user, keys and policy are
 *       retired as a deletion would.
 *   <li>A record the integration no longer points at (another store, another user name, its own
 *       keys) loses its grants at once, before the new identity is tried; the integration's
 *       reconcile retires it once the new identity works.
 *   <li>Any other record keeps no more than the store allows the record's namespace now: its policy
 *       is narrowed, or detached when nothing is left.
 * </ul>
 */
public final class Revocation {
  private Revocation() {}

  /** How a record stands with its integration. */
  public enum Standing {
    /** The integration exists and still uses this store and user. */
    HELD,
    /** The integration exists but uses another identity now. */
    SWITCHED,
    /** The integration is gone. */
    ORPHAN
  }

  /**
   * @param live the integration with the record's UID, if it exists
   * @param currentStore the store the integration names now, if it exists
   */
  public static Standing standing(
      OwnershipRecord record, Optional<S3Integration> live, Optional<ResolvedStore> currentStore) {
    if (live.isEmpty() || !record.ownedBy(live.get().getMetadata().getUid())) {
      return Standing.ORPHAN;
    }
    S3Integration i = live.get();
    boolean managed =
        i.getSpec() != null
            && i.getSpec().getCredentials() != null
            && i.getSpec().getCredentials().getManaged() != null;
    if (!managed) {
      return Standing.SWITCHED; // own keys now (or no usable spec): no managed user
    }
    if (!ResolvedStore.idOf(i).map(record.store()::equals).orElse(false)) {
      return Standing.SWITCHED;
    }
    if (currentStore.isPresent()
        && !MinioNames.derivedFrom(
            record.user(),
            currentStore.get().userPrefix(),
            i.getMetadata().getNamespace(),
            i.getMetadata().getName())) {
      return Standing.SWITCHED; // the store's user prefix changed
    }
    return Standing.HELD;
  }

  /**
   * The write that keeps the record's grants within what the store allows its namespace, or empty
   * when they are within already.
   *
   * @param document the record's policy document as the storage has it, empty when it has none
   */
  public static Optional<Change> narrowing(
      OwnershipRecord record, StoreAccess access, Optional<String> document) {
    if (document.isEmpty()) {
      return Optional.empty(); // nothing granted through it
    }
    if (!access.usable()) {
      return Optional.of(new Change.DetachAllPolicies(record.user()));
    }
    List<ReadGrant> granted;
    try {
      granted = PolicyDocument.grantsOf(document.get());
    } catch (InvalidPolicyException e) {
      // not a document the operator wrote: what it allows is not known, so nothing of it stays
      return Optional.of(new Change.DetachAllPolicies(record.user()));
    }
    List<ReadGrant> reads = new ArrayList<>();
    List<String> locationBuckets = new ArrayList<>();
    for (ReadGrant g : granted) {
      if (g.actions().equals(List.of(ReadActions.GET_BUCKET_LOCATION))) {
        g.buckets().forEach(b -> locationBuckets.add(b.bucket()));
      } else {
        reads.add(g);
      }
    }
    List<ReadGrant> kept = new ArrayList<>(access.narrow(reads));
    if (kept.isEmpty()) {
      return Optional.of(new Change.DetachAllPolicies(record.user()));
    }
    // a bucket's location is metadata: it stays where something of the bucket stays
    List<String> keptBuckets =
        kept.stream().flatMap(g -> g.buckets().stream()).map(BucketGrant::bucket).toList();
    locationBuckets.stream()
        .filter(keptBuckets::contains)
        .distinct()
        .forEach(
            b ->
                kept.add(
                    new ReadGrant(
                        List.of(BucketGrant.wholeBucket(b)),
                        List.of(ReadActions.GET_BUCKET_LOCATION))));
    String narrowed = PolicyDocument.merge(kept);
    if (PolicyDocument.equivalent(narrowed, document.get())) {
      return Optional.empty();
    }
    return Optional.of(new Change.PutPolicy(record.policy(), narrowed, true));
  }

  /**
   * Whether a record is one the operator could have written: it is stored under the name its store
   * and user give, and its user is the one derived from its own namespace and name (under some user
   * prefix: a store's prefix may have changed since). A record that is not is never acted on:
   * whoever could write it must not make the operator delete or reset a user of their choosing.
   *
   * @param secretName the name of the Secret the record was read from
   */
  public static boolean consistent(String secretName, OwnershipRecord record) {
    if (!secretName.equals(OwnershipRecordSecret.name(record.store(), record.user()))
        || record.integrationNamespace() == null
        || record.integrationName() == null
        || record.integrationNamespace().isEmpty()
        || record.integrationName().isEmpty()) {
      return false;
    }
    String user = record.user();
    for (int k = 0; k <= Math.min(MAX_PREFIX, user.length()); k++) {
      if (MinioNames.derivedFrom(
          user, user.substring(0, k), record.integrationNamespace(), record.integrationName())) {
        return true;
      }
    }
    return false;
  }

  /** The longest user prefix a store may set. */
  private static final int MAX_PREFIX = 32;

  /** An orphan's or a deleted integration's record: its keys, user and policy go, then it. */
  public static List<Change> retire(OwnershipRecord record) {
    return Decider.retire(record);
  }
}
