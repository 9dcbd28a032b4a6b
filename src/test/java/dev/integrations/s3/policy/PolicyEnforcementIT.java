package dev.integrations.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrations.s3.testing.MinioServer;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.admin.MinioAdminClient;
import io.minio.admin.UserInfo;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documents {@link PolicyDocument} renders, on a real MinIO: accepted as policies, read back
 * canonically equal, and enforced for a user holding them — allowed inside the grant, denied
 * outside it and for every write.
 */
class PolicyEnforcementIT {
  static MinioServer minio;
  static MinioAdminClient admin;
  static MinioClient root;
  static final String RUN = MinioServer.randomSuffix();

  @BeforeAll
  static void server() {
    minio = MinioServer.shared();
    admin = minio.rootAdmin();
    root = minio.rootS3();
  }

  @Test
  void documentWithoutPrefixesMatchesTheStorageDocsAndIsEnforced() throws Exception {
    String granted = bucket("share-" + RUN, "cats/001.jpg", "meow");
    String other = bucket("other-" + RUN, "cats/002.jpg", "purr");
    String document =
        PolicyDocument.render(new ReadGrant(List.of(new BucketGrant(granted, null)), null));

    MinioClient user = userWith("whole" + RUN, document);

    assertThat(keys(user, granted, null)).containsExactly("cats/001.jpg");
    assertThat(read(user, granted, "cats/001.jpg")).isEqualTo("meow");

    assertDenied(() -> keys(user, other, null));
    assertDenied(() -> read(user, other, "cats/002.jpg"));
    assertDenied(() -> write(user, granted, "cats/evil.jpg"));
    assertDenied(
        () -> {
          user.removeObject(
              RemoveObjectArgs.builder().bucket(granted).object("cats/001.jpg").build());
          return null;
        });
    assertThat(read(root, granted, "cats/001.jpg")).isEqualTo("meow");
  }

  @Test
  void prefixesLimitListingAndReadingToThoseKeys() throws Exception {
    String bucket = bucket("media-" + RUN, "images/a.png", "png-bytes");
    put(root, bucket, "docs/b.pdf", "pdf-bytes");
    put(root, bucket, "images/sub/c.png", "c");
    String document =
        PolicyDocument.render(
            new ReadGrant(List.of(new BucketGrant(bucket, List.of("images/"))), null));

    MinioClient user = userWith("prefix" + RUN, document);

    assertThat(keys(user, bucket, "images/")).containsExactly("images/a.png", "images/sub/c.png");
    assertThat(read(user, bucket, "images/a.png")).isEqualTo("png-bytes");
    assertThat(read(user, bucket, "images/sub/c.png")).isEqualTo("c");

    assertDenied(() -> keys(user, bucket, null));
    assertDenied(() -> keys(user, bucket, "docs/"));
    assertDenied(() -> read(user, bucket, "docs/b.pdf"));
    assertDenied(() -> write(user, bucket, "images/new.png"));
  }

  @Test
  void mergedDocumentOfSeveralPoliciesIsAcceptedAndGrantsTheirUnion() throws Exception {
    String whole = bucket("union-a-" + RUN, "x.txt", "x");
    String partial = bucket("union-b-" + RUN, "public/y.txt", "y");
    put(root, partial, "private/z.txt", "z");
    String document =
        PolicyDocument.merge(
            List.of(
                new ReadGrant(List.of(new BucketGrant(whole, null)), null),
                new ReadGrant(List.of(new BucketGrant(partial, List.of("public/"))), null),
                new ReadGrant(List.of(new BucketGrant(whole, List.of("sub/"))), null)));

    MinioClient user = userWith("merged" + RUN, document);

    assertThat(read(user, whole, "x.txt")).isEqualTo("x");
    assertThat(keys(user, whole, null)).containsExactly("x.txt");
    assertThat(read(user, partial, "public/y.txt")).isEqualTo("y");
    assertDenied(() -> read(user, partial, "private/z.txt"));
    assertDenied(() -> keys(user, partial, null));
  }

  /** Creates the policy and a user holding it; checks MinIO's copy reads back equal. */
  private MinioClient userWith(String name, String document) throws Exception {
    admin.addCannedPolicy(name, document);
    String stored = admin.listCannedPolicies().get(name);
    assertThat(stored).as("MinIO's stored copy of policy %s", name).isNotNull();
    assertThat(PolicyDocument.equivalent(document, stored))
        .as(
            "stored policy reads back canonically equal:%n ours:   %s%n stored: %s",
            document, stored)
        .isTrue();
    String secret = "S" + MinioServer.randomSuffix() + MinioServer.randomSuffix();
    admin.addUser(name, UserInfo.Status.ENABLED, secret, null, null);
    admin.setPolicy(name, false, name);
    return minio.s3(name, secret);
  }

  private static String bucket(String name, String key, String content) throws Exception {
    if (!root.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
      root.makeBucket(MakeBucketArgs.builder().bucket(name).build());
    }
    put(root, name, key, content);
    return name;
  }

  private static void put(MinioClient c, String bucket, String key, String content)
      throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    c.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(bytes), bytes.length, -1)
            .build());
  }

  private static Object write(MinioClient c, String bucket, String key) throws Exception {
    put(c, bucket, key, "nope");
    return null;
  }

  private static String read(MinioClient c, String bucket, String key) throws Exception {
    try (InputStream in = c.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> keys(MinioClient c, String bucket, String prefix) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        c.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
      keys.add(r.get().objectName());
    }
    return keys;
  }

  interface Call {
    Object run() throws Exception;
  }

  private static void assertDenied(Call call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(ErrorResponseException.class)
        .satisfies(
            e ->
                assertThat(((ErrorResponseException) e).errorResponse().code())
                    .isEqualTo("AccessDenied"));
  }
}
