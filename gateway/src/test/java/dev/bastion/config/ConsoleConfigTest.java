package dev.bastion.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console's settings: an OIDC sign-in may only use a provider whose tokens Bastion already verifies. */
class ConsoleConfigTest {

    private static BastionConfig load(String yaml) throws Exception {
        Path f = Files.createTempFile("console", ".yaml");
        Files.writeString(f, yaml);
        try {
            return ConfigLoader.load(f, Map.of());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void theDefaultsServeTheConsoleWithApiKeySignInOnly() throws Exception {
        ConsoleSettings c = ConfigLoader.load(null, Map.of()).console();
        assertThat(c.enabled()).isTrue();
        assertThat(c.oidc()).isNull();
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void anOidcProviderThatIsNotATrustedIssuerIsRefused() {
        assertThatThrownBy(() -> load("console:\n  oidc: {issuer: \"https://idp.example\", client-id: c}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be one of identity.issuers");
    }

    @Test
    void aTrustedIssuerSignsInWithOpenidAlwaysRequested() throws Exception {
        BastionConfig c = load("""
                identity:
                  issuers:
                    - {issuer: "https://idp.example", audiences: [bastion], jwks-url: "https://idp.example/jwks"}
                console:
                  oidc: {issuer: "https://idp.example", client-id: bastion-console, scopes: [profile]}
                  idle-timeout: 30m
                """);
        assertThat(c.console().oidc().scopes()).containsExactly("openid", "profile");
        assertThat(c.console().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void badSessionTimesVerifierKeysAndPublicUrlsAreNamed() {
        assertThatThrownBy(() -> load("console: {session-ttl: 48h}\n")).hasMessageContaining("console.session-ttl");
        assertThatThrownBy(() -> load("console: {idle-timeout: 9h}\n")).hasMessageContaining("console.idle-timeout");
        assertThatThrownBy(() -> load("console: {audit-verifier-key: nope}\n")).hasMessageContaining("C2SP verifier key");
        assertThatThrownBy(() -> load("console: {public-url: \"https://x.example/path\"}\n")).hasMessageContaining("without a path");
    }
}
