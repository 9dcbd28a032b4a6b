package dev.integrations.s3.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the project's {@code scripts/install-*} (which build a real server or tool from its
 * Go module into the cache, or find it there) and returns the path it prints last. Progress goes to
 * {@code target/<script>.log}; any failure throws with the log's tail, so the tests that need the
 * tool fail and say why — they are never skipped.
 */
public final class InstallScript {
  private InstallScript() {}

  /** The project directory (Maven passes it to the test JVMs). */
  public static Path root() {
    return Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
  }

  /**
   * @param name script name under scripts/, e.g. {@code install-minio}
   * @param timeout how long a first build may take
   * @param needed what cannot run without it, for the message (e.g. "the MinIO integration tests")
   * @param howTo extra advice appended to failure messages (may be empty)
   */
  public static Path run(String name, Duration timeout, String needed, String howTo) {
    Path root = root();
    Path script = root.resolve("scripts").resolve(name);
    Path log = root.resolve("target").resolve(name + ".log");
    try {
      Files.createDirectories(log.getParent());
      Path out = Files.createTempFile(name, ".out");
      try {
        Process p =
            new ProcessBuilder("bash", script.toString())
                .directory(root.toFile())
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        if (!p.waitFor(timeout.toMinutes(), TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "scripts/"
                  + name
                  + " did not finish in "
                  + timeout.toMinutes()
                  + " minutes:\n"
                  + tail(log, 30)
                  + howTo);
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "scripts/"
                  + name
                  + " failed (exit "
                  + p.exitValue()
                  + "), so "
                  + needed
                  + " cannot run:\n"
                  + tail(log, 30)
                  + howTo);
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
          throw new IllegalStateException("scripts/" + name + " printed no path" + howTo);
        }
        return Path.of(lines.get(lines.size() - 1).trim());
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + script + ": " + e + howTo, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running scripts/" + name, e);
    }
  }

  /** The last lines of a log file, for failure messages. */
  public static String tail(Path file, int lines) {
    if (file == null || !Files.exists(file)) {
      return "(no log)";
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
