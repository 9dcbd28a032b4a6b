package dev.integrations.s3.storage;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
  static StorageEndpoint endpoint(String host) {
    return new StorageEndpoint(
        host,
        9000,
        false,
        "us-east-1",
        false,
        null,
        StorageEndpoint.DEFAULT_CONNECT_TIMEOUT,
        StorageEndpoint.DEFAULT_READ_TIMEOUT);
  }

  @Test
  void aBusyEndpointKeepsItsClientWhileManyOthersComeAndGo() {
    StorageEndpoint busy = endpoint("busy.example");
    OkHttpClient first = HttpClients.forEndpoint(busy);

    // twice as many endpoints as are kept, the busy one used in between (every reconcile)
    for (int i = 0; i < 2 * HttpClients.MAX_CACHED; i++) {
      HttpClients.forEndpoint(endpoint("store-" + i + ".example"));
      assertThat(HttpClients.forEndpoint(busy)).isSameAs(first);
    }
    assertThat(HttpClients.cached()).isLessThanOrEqualTo(HttpClients.MAX_CACHED);
    // the least recently used were dropped: a new client for them
    assertThat(HttpClients.forEndpoint(endpoint("store-0.example")))
        .isNotSameAs(
            HttpClients.forEndpoint(
                endpoint("store-" + (2 * HttpClients.MAX_CACHED - 1) + ".example")));
  }

  @Test
  void theSameEndpointAndTrustShareAClientAnotherCaDoesNot() {
    StorageEndpoint plain = endpoint("ca.example");
    String ca = dev.integrations.s3.testing.TestCa.create("http-clients-test").caPem;

    assertThat(HttpClients.forEndpoint(plain.withCa(null)))
        .isSameAs(HttpClients.forEndpoint(plain));
    assertThat(HttpClients.forEndpoint(plain.withCa(ca)))
        .isSameAs(HttpClients.forEndpoint(endpoint("ca.example").withCa(ca)))
        .isNotSameAs(HttpClients.forEndpoint(plain));
  }
}
