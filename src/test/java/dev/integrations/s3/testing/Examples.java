package dev.integrations.s3.testing;

import dev.integrations.s3.api.v1alpha1.ClusterS3Store;
import dev.integrations.s3.api.v1alpha1.S3AccessPolicy;
import dev.integrations.s3.api.v1alpha1.S3Integration;
import dev.integrations.s3.api.v1alpha1.S3Store;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenarios under examples/: one directory each, whose kustomization.yaml lists its files in
 * the order they apply. Loads them as typed objects, exactly as written.
 */
public final class Examples {
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "Namespace", Namespace.class,
          "Secret", Secret.class,
          "ClusterS3Store", ClusterS3Store.class,
          "S3Store", S3Store.class,
          "S3AccessPolicy", S3AccessPolicy.class,
          "S3Integration", S3Integration.class);
  private static final Pattern KIND = Pattern.compile("(?m)^kind:\\s*(\\S+)\\s*$");
  private static final Pattern RESOURCE = Pattern.compile("(?m)^\\s*-\\s*(\\S+\\.yaml)\\s*$");

  private Examples() {}

  /** The scenario directories of examples/. */
  public static List<Path> scenarios(Path examples) throws IOException {
    try (var dirs = Files.list(examples)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** The files a scenario's kustomization.yaml lists, in order. */
  public static List<Path> files(Path scenario) throws IOException {
    String kustomization = Files.readString(scenario.resolve("kustomization.yaml"));
    List<Path> files = new ArrayList<>();
    Matcher m = RESOURCE.matcher(kustomization);
    while (m.find()) {
      files.add(scenario.resolve(m.group(1)));
    }
    return files;
  }

  /** Every object of a scenario, in the order it applies. */
  public static List<HasMetadata> load(Path scenario) throws IOException {
    List<HasMetadata> result = new ArrayList<>();
    for (Path file : files(scenario)) {
      for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
        Matcher kind = KIND.matcher(doc);
        if (!kind.find()) {
          continue;
        }
        Class<? extends HasMetadata> type = KINDS.get(kind.group(1));
        if (type == null) {
          throw new IllegalArgumentException(file + ": unexpected kind " + kind.group(1));
        }
        result.add(Serialization.unmarshal(doc, type));
      }
    }
    return result;
  }
}
