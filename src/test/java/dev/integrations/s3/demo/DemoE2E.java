package dev.integrations.s3.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, in the test suite: the demo on the real kube-apiserver and MinIO brings
 * the examples to Ready with the production settings and serves a sample locator over a presigned
 * URL. (scripts/demo adds only the build and the binaries' installation around this class.)
 */
class DemoE2E {

  @Test
  void demoBringsTheExamplesToReadyAndServesASampleLocator() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Path root = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();

    int code = new LocalDemo(root, out, false).run(false);

    String shown = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(shown);
    assertThat(code).as("demo exit code").isZero();
    assertThat(shown)
        .contains("team-a/viz: Ready=True (Ready)")
        .contains("team-b/viz-medical: Ready=True (Ready)")
        .contains("team-c/viz: Ready=True (Ready)")
        .contains("every integration is Ready")
        .containsPattern("clusters3store.s3.integrations.dev/minio-prod +True +http://\\S+ +2 ")
        .containsPattern("team-a +viz +True +minio-prod +http://\\S+ +viz-s3 ")
        .containsPattern(
            "team-b +viz-medical +True +minio-prod +http://\\S+ +medical-images +viz-medical-s3 ")
        .containsPattern("team-c +viz +True +minio +http://\\S+ +viz-s3 ")
        .contains("MinIO user k8s.team-a.viz exists")
        .contains("AWS_SECRET_ACCESS_KEY  <redacted: 40 characters>")
        .contains("GET -> HTTP 200");
    assertThat(shown).doesNotContainPattern("AWS_SECRET_ACCESS_KEY\\s+[A-Za-z0-9]{40}");
  }
}
