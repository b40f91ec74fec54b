package dev.bastion.audit;

import dev.bastion.config.ConfigException;
import dev.bastion.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code audit:} configuration section: origin, append timeout, checkpoint interval, and their checks. */
class AuditSettingsTest {
    @Test
    void theAuditSectionSetsTheLogIdentityAndTimings() throws Exception {
        var audit = load("""
                audit: {origin: bastion.example.com/audit, append-timeout: 750ms, checkpoint-interval: 1s}
                """).audit();
        assertThat(audit.origin()).isEqualTo("bastion.example.com/audit");
        assertThat(audit.appendTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(audit.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));

        var defaults = load("server: {host: 127.0.0.1}\n").audit();
        assertThat(defaults.origin()).isEqualTo("127.0.0.1/bastion/audit");
        assertThat(defaults.appendTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void invalidAuditSettingsAreNamedAtStart() {
        assertThatThrownBy(() -> load("""
                audit: {origin: "my log+1", append-timeout: 0s, checkpoint-interval: 2s}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("audit.origin").hasMessageContaining("audit.append-timeout")
                .hasMessageContaining("audit.checkpoint-interval");
    }

    private static dev.bastion.config.BastionConfig load(String yaml) throws Exception {
        Path file = Files.createTempFile("bastion-audit", ".yaml");
        try {
            Files.writeString(file, yaml);
            return ConfigLoader.load(file, Map.of());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
