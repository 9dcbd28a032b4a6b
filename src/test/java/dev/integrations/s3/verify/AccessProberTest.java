package dev.integrations.s3.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrations.s3.storage.StorageEndpoint;
import dev.integrations.s3.testing.Endpoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link AccessProber}: how scopes are merged before probing. */
class AccessProberTest {

  @Test
  void keepsOrderOfFirstAppearanceAndMergesPrefixesOfTheSameBucket() {
    List<BucketScope> merged =
        AccessProber.merge(
            List.of(
                new BucketScope("b", List.of("x/")),
                new BucketScope("a", List.of("images/")),
                new BucketScope("b", List.of("y/", "x/")),
                new BucketScope("a", List.of("docs/"))));

    assertThat(merged)
        .containsExactly(
            new BucketScope("b", List.of("x/", "y/")),
            new BucketScope("a", List.of("images/", "docs/")));
  }

  @Test
  void wholeBucketWinsOverPrefixesWhicheverComesFirst() {
    assertThat(
            AccessProber.merge(
                List.of(new BucketScope("a", List.of("images/")), new BucketScope("a", List.of()))))
        .containsExactly(new BucketScope("a", List.of()));
    assertThat(
            AccessProber.merge(
                List.of(new BucketScope("a", null), new BucketScope("a", List.of("images/")))))
        .containsExactly(new BucketScope("a", List.of()));
  }

  @Test
  void anEmptyPrefixMeansTheWholeBucket() {
    assertThat(AccessProber.merge(List.of(new BucketScope("a", List.of("images/", "")))))
        .containsExactly(new BucketScope("a", List.of()));
  }

  @Test
  void distinctBucketsAreKeptApartAndNullEntriesIgnored() {
    List<BucketScope> in = new ArrayList<>();
    in.add(new BucketScope("one", List.of()));
    in.add(null);
    in.add(new BucketScope("two", List.of("p/")));
    assertThat(AccessProber.merge(in))
        .extracting(BucketScope::bucket)
        .containsExactly("one", "two");
    assertThat(AccessProber.merge(null)).isEmpty();
  }

  @Test
  void blankBucketNameIsRefused() {
    assertThatThrownBy(() -> AccessProber.merge(Arrays.asList(new BucketScope(" ", List.of()))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nothingToProbeSendsNothing() {
    // an endpoint nobody listens on: any request would throw EndpointUnreachable
    StorageEndpoint nowhere = Endpoints.of("127.0.0.1", 1, false, "us-east-1");
    assertThat(new AccessProber().probe(nowhere, "ak", "sk", List.of(), ProbeBudget.standard()))
        .isEmpty();
  }

  @Test
  void invalidBucketNameIsAnErrorResultWithoutAnyRequest() {
    // nobody listens on port 1: had a request been sent, probe would throw EndpointUnreachable
    StorageEndpoint nowhere = Endpoints.of("127.0.0.1", 1, false, "us-east-1");
    assertThat(
            new AccessProber()
                .probe(
                    nowhere,
                    "ak",
                    "sk",
                    List.of(new BucketScope("b", null)),
                    ProbeBudget.standard()))
        .containsExactly(
            new ProbeResult("b", ProbeResult.Outcome.Error, null, "invalid bucket name: b"));
  }
}
