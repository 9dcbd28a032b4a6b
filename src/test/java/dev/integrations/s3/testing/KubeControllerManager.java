package dev.integrations.s3.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The four kube-controller-manager controllers whose behaviour the tests need from a cluster: the
 * namespace controller (deleting a namespace deletes what is in it, waiting for finalizers), the
 * garbage collector (owner references are acted on), the cluster-role aggregation controller (the
 * chart's aggregated roles reach the built-in edit and view roles) and the
 * ValidatingAdmissionPolicy status controller (it type-checks the chart's policies into their
 * status.typeChecking). Built from the same Kubernetes module as kube-apiserver by {@code
 * scripts/install-kube}; started beside the shared API server with its admin kubeconfig.
 */
final class KubeControllerManager {
  static final List<String> CONTROLLERS =
      List.of(
          "namespace-controller",
          "garbage-collector-controller",
          "clusterrole-aggregation-controller",
          "validatingadmissionpolicy-status-controller");

  private final Process process;

  private KubeControllerManager(Process process) {
    this.process = process;
  }

  /** What its log says once a controller's caches are synced and it works. */
  static final List<String> READY_MARKERS =
      List.of(
          "\"Caches are synced\" controller=\"namespace\"",
          "\"Caches are synced\" controller=\"garbage collector\"",
          "\"Caches are synced\" controller=\"ClusterRoleAggregator\"");

  /**
   * Starts it and waits until each of its controllers has synced its caches.
   *
   * @throws IllegalStateException with the tail of its log when it does not come up
   */
  static KubeControllerManager start(Path binary, Path kubeconfig, Path log) {
    ProcessBuilder pb =
        new ProcessBuilder(
                binary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--controllers=" + String.join(",", CONTROLLERS),
                "--leader-elect=false",
                "--use-service-account-credentials=false",
                "--bind-address=127.0.0.1",
                "--secure-port=0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e, e);
    }
    KubeControllerManager kcm = new KubeControllerManager(p);
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "kube-controller-manager exited with " + p.exitValue() + ":\n" + tail(log));
      }
      String text = read(log);
      if (READY_MARKERS.stream().allMatch(text::contains)) {
        return kcm;
      }
      sleep(200);
    }
    kcm.stop();
    throw new IllegalStateException("kube-controller-manager did not come up:\n" + tail(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
