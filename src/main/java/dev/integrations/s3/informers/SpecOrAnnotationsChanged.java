package dev.integrations.s3.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Reconcile on a new generation (spec change), and also when annotations, finalizers or the
 * deletion timestamp change: the pause and skip-cleanup annotations must take effect at once.
 * Updates of status alone (our own patches) are ignored.
 */
public class SpecOrAnnotationsChanged implements OnUpdateFilter<HasMetadata> {
  @Override
  public boolean accept(HasMetadata updated, HasMetadata old) {
    var n = updated.getMetadata();
    var o = old.getMetadata();
    return !Objects.equals(n.getGeneration(), o.getGeneration())
        || !Objects.equals(n.getAnnotations(), o.getAnnotations())
        || !Objects.equals(n.getFinalizers(), o.getFinalizers())
        || !Objects.equals(n.getDeletionTimestamp(), o.getDeletionTimestamp());
  }
}
