package dev.integrations.s3.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchAllNamespacesAndVerifyEveryTenMinutes() {
    OperatorConfig c = OperatorConfig.defaults();
    assertThat(c.watchesAllNamespaces()).isTrue();
    assertThat(c.defaultVerificationInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.probePort()).isEqualTo(8081);
    assertThat(c.logFormat()).isEqualTo(OperatorConfig.LogFormat.TEXT);
    assertThat(c.leaderElection()).isFalse();
    assertThat(c.leaseName()).isEqualTo("s3-integration-operator");
    assertThat(c.clusterStoreController()).isTrue();
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig c =
        OperatorConfig.fromEnv(
            Map.of(
                "WATCH_NAMESPACES", " team-b, team-a ,,",
                "VERIFICATION_INTERVAL", "1h30m",
                "HTTP_PORT", "9090",
                "PROBE_PORT", "9091",
                "LOG_FORMAT", "JSON",
                "LEADER_ELECTION", "true",
                "LEADER_ELECTION_NAMESPACE", "ops",
                "RECONCILE_THREADS", "4",
                "LEADER_ELECTION_LEASE_NAME", "shard-b",
                "CLUSTER_STORE_CONTROLLER", "false"));
    assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(c.defaultVerificationInterval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.httpPort()).isEqualTo(9090);
    assertThat(c.probePort()).isEqualTo(9091);
    assertThat(c.logFormat()).isEqualTo(OperatorConfig.LogFormat.JSON);
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaderElectionNamespace()).isEqualTo("ops");
    assertThat(c.reconcileThreads()).isEqualTo(4);
    assertThat(c.leaseName()).isEqualTo("shard-b");
    assertThat(c.clusterStoreController()).isFalse();
  }

  @Test
  void badValuesNameTheVariableAndTheAcceptedForm() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("VERIFICATION_INTERVAL", "10 minutes")))
        .hasMessage(
            "VERIFICATION_INTERVAL=\"10 minutes\" is not a duration such as 30s, 10m or 1h30m");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("VERIFICATION_INTERVAL", "0s")))
        .hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("HTTP_PORT", "70000")))
        .hasMessage("HTTP_PORT=\"70000\" must be a whole number from 0 to 65535");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("PROBE_PORT", "-1")))
        .hasMessage("PROBE_PORT=\"-1\" must be a whole number from 0 to 65535");
    // one port cannot serve both: the probes would not start
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("HTTP_PORT", "9000", "PROBE_PORT", "9000")))
        .hasMessage("PROBE_PORT=\"9000\" must differ from HTTP_PORT (the metrics port)");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION", "yes")))
        .hasMessage("LEADER_ELECTION=\"yes\" must be true or false");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LOG_FORMAT", "xml")))
        .hasMessage("LOG_FORMAT=\"xml\" must be text or json");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION_LEASE_NAME", "Shard_B")))
        .hasMessage(
            "LEADER_ELECTION_LEASE_NAME=\"Shard_B\" must be a DNS subdomain (lower-case letters,"
                + " digits, - and ., at most 253)");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("CLUSTER_STORE_CONTROLLER", "no")))
        .hasMessage("CLUSTER_STORE_CONTROLLER=\"no\" must be true or false");
  }

  @Test
  void durationsAddUp() {
    assertThat(OperatorConfig.parseDuration("X", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(OperatorConfig.parseDuration("X", "2h")).isEqualTo(Duration.ofHours(2));
    assertThat(OperatorConfig.parseDuration("X", "1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void consumerMountPathDefaultsToTheConventionAndRefusesWhatCannotGoIntoAJvmOption() {
    assertThat(OperatorConfig.defaults().consumerMountPath()).isEqualTo("/var/run/s3-integration");
    assertThat(
            OperatorConfig.fromEnv(Map.of("CONSUMER_MOUNT_PATH", "/etc/s3/")).consumerMountPath())
        .isEqualTo("/etc/s3");
    for (String bad : new String[] {"relative/dir", "/with space", "/a/../b", "/$HOME", ""}) {
      assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("CONSUMER_MOUNT_PATH", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CONSUMER_MOUNT_PATH");
    }
  }

  @Test
  void adminBodyEncryptionIsPbkdf2UnlessArgon2idIsAsked() {
    assertThat(OperatorConfig.defaults().adminBodyEncryption()).isEqualTo("pbkdf2");
    assertThat(
            OperatorConfig.fromEnv(Map.of("ADMIN_BODY_ENCRYPTION", "Argon2id"))
                .adminBodyEncryption())
        .isEqualTo("argon2id");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("ADMIN_BODY_ENCRYPTION", "none")))
        .hasMessageContaining("ADMIN_BODY_ENCRYPTION");
  }
}
