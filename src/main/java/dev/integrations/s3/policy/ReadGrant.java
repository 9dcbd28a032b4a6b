package dev.integrations.s3.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Read access to a set of buckets with a set of read actions: the input of {@link
 * PolicyDocument#render(ReadGrant)}.
 *
 * <p>No actions means {@link ReadActions#DEFAULT}. Lists are copied and kept as given, null
 * elements included, so that {@link PolicyValidator} can report every problem at once.
 *
 * @param buckets the buckets, never null
 * @param actions the read actions, empty for {@link ReadActions#DEFAULT}; never null
 */
public record ReadGrant(List<BucketGrant> buckets, List<String> actions) {

  /** Copies both lists into unmodifiable lists; null becomes empty. */
  public ReadGrant {
    buckets = copy(buckets);
    actions = copy(actions);
  }

  /** The default actions on the given buckets. */
  public static ReadGrant of(BucketGrant... buckets) {
    return new ReadGrant(Arrays.asList(buckets), List.of());
  }

  /** The actions that apply: {@link #actions()}, or {@link ReadActions#DEFAULT} when empty. */
  public List<String> effectiveActions() {
    return actions.isEmpty() ? ReadActions.DEFAULT : actions;
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
