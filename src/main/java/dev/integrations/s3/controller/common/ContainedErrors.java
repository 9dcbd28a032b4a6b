package dev.integrations.s3.controller.common;

import java.util.function.Supplier;

/**
 * JOSDK catches {@link Exception} around a reconcile, not {@link Error}: an Error that escapes one
 * (a {@code StackOverflowError} from an input nobody bounded, an {@code AssertionError}, a {@code
 * LinkageError}) skips JOSDK's bookkeeping, so the resource stays marked as being processed and is
 * never reconciled again, not even for its deletion, until the operator restarts. Every reconcile
 * and clean-up runs inside {@link #call}, which hands such an Error to JOSDK as an exception: the
 * resource gets the usual failed status, backoff and retry.
 *
 * <p>The JVM's own failures other than a stack overflow ({@link OutOfMemoryError}, {@link
 * InternalError}, {@link UnknownError}) pass through: the process is not in a state to go on, and
 * the chart's JVM exits on them so that the kubelet restarts it.
 */
public final class ContainedErrors {
  private ContainedErrors() {}

  /** The Error a reconcile threw, as JOSDK's retry and error status handle exceptions. */
  public static final class ContainedError extends RuntimeException {
    ContainedError(Error cause) {
      super(cause.getClass().getSimpleName() + " in a reconcile", cause, false, false);
    }
  }

  public static <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (StackOverflowError e) {
      throw new ContainedError(e);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Error e) {
      throw new ContainedError(e);
    }
  }
}
