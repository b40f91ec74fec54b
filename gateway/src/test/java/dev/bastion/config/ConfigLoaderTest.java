package dev.bastion.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bastion.store.StoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static BastionConfig parse(String yaml, Map<String, String> env) throws Exception {
        return ConfigLoader.parse(YAML.readTree(yaml), env, "test.yaml");
    }

    private static String problems(String yaml) {
        try {
            parse(yaml, Map.of());
            throw new AssertionError("expected the configuration to be refused");
        } catch (ConfigException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void embeddedDefaultsServeOnLoopbackWithSqliteInTheDataDirectory() {
        BastionConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.store().kind()).isEqualTo(StoreConfig.Kind.SQLITE);
        assertThat(c.store().url()).endsWith("data/bastion.db");
        assertThat(c.backends()).isEmpty();
    }

    @Test
    void unknownKeysAreNamedWithASuggestion() {
        assertThat(problems("server:\n  prot: 9000\n")).contains("server.prot: unknown key (did you mean 'port'?)");
        assertThat(problems("sever:\n  port: 9000\n")).contains("sever: unknown key (did you mean 'server'?)");
        assertThat(problems("backends:\n  - name: a\n    url: http://x/v1\n    timeout: 3s\n"))
                .contains("backends[0].timeout: unknown key");
    }

    @Test
    void badValuesNameTheKeyAndAllProblemsAreReportedAtOnce() {
        String msg = problems("""
                server:
                  port: 70000
                  read-timeout: soon
                  max-body-size: lots
                backends:
                  - name: a
                    type: grpc
                    url: ftp://x
                models:
                  - alias: m
                    backend: nowhere
                """);
        assertThat(msg).contains("server.port: must be between 0 and 65535 (got 70000)")
                .contains("server.read-timeout: must be a duration")
                .contains("server.max-body-size: must be a size")
                .contains("backends[0].type: must be one of [openai, ollama]")
                .contains("backends[0].url: must be an http:// or https:// URL")
                .contains("names unknown backend 'nowhere'");
    }

    @Test
    void environmentVariablesOverrideFileValues() throws Exception {
        BastionConfig c = parse("server:\n  port: 9000\nbackends:\n  - name: a\n    url: http://127.0.0.1:1/v1\n",
                Map.of("BASTION_SERVER_PORT", "9100", "BASTION_BACKENDS_0_READ_TIMEOUT", "7s",
                        "BASTION_STORE_TYPE", "postgres", "BASTION_STORE_URL", "jdbc:postgresql://db/bastion",
                        "BASTION_STORE_PASSWORD", "pw"));
        assertThat(c.server().port()).isEqualTo(9100);
        assertThat(c.backends().getFirst().readTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.store().kind()).isEqualTo(StoreConfig.Kind.POSTGRES);
        assertThat(c.store().password().value()).isEqualTo("pw");
        assertThat(c.store().toString()).doesNotContain("pw,").contains("<redacted>");
    }

    @Test
    void plainHttpOffLoopbackRefusesToStartAndSaysWhy() {
        assertThat(problems("server:\n  host: 0.0.0.0\n"))
                .contains("server.host: binding to '0.0.0.0' needs TLS: plain HTTP is only allowed on loopback");
        assertThat(problems("server:\n  host: 10.1.2.3\n")).contains("needs TLS");
    }

    @Test
    void theInsecureFileKeyProviderIsRefusedOffLoopbackAndTheErrorSaysWhatToUse() throws Exception {
        String offLoopback = "server:\n  host: 0.0.0.0\n  tls: {mode: generated}\n";
        for (String barrier : new String[] {"", "barrier: {provider: insecure-file}\n"}) {
            assertThat(problems(offLoopback + barrier)).as("default and explicit")
                    .contains("barrier.provider: 'insecure-file' (the default) keeps the root key beside the data")
                    .contains("set barrier.provider to passphrase or pkcs11");
        }
        assertThat(parse(offLoopback + "barrier: {provider: passphrase}\n", Map.of()).barrier().provider())
                .isEqualTo("passphrase");
        for (String loopback : new String[] {"127.0.0.1", "::1", "localhost"}) {
            assertThat(parse("server:\n  host: \"" + loopback + "\"\n", Map.of()).barrier().provider())
                    .as(loopback).isEqualTo("insecure-file");
        }
    }

    @Test
    void withTlsAnyBindAddressIsAllowedAndTlsKeysAreChecked() throws Exception {
        assertThat(parse("server:\n  host: 0.0.0.0\n  tls: {mode: generated}\nbarrier: {provider: passphrase}\n", Map.of()).server().scheme())
                .isEqualTo("https");
        assertThat(problems("server:\n  tls: {mode: files}\n")).contains("mode 'files' needs cert-chain and private-key");
        assertThat(problems("server:\n  tls: {mode: generated, client-auth: required}\n"))
                .contains("client certificates need client-ca");
        assertThat(problems("server:\n  tls: {mode: generated, mtls-rules: [{subject: \"CN=(\"}]}\n"))
                .contains("is not a valid regular expression");
        assertThat(problems("backends:\n  - {name: a, url: \"https://x/v1\", tls: {spki-pins: [nope]}}\n"))
                .contains("pins are base64 SHA-256 digests");
        assertThat(problems("barrier: {provider: vault}\n")).contains("barrier.provider: must be one of");
        assertThat(problems("barrier: {provider: pkcs11, pkcs11: {library: /x.so}}\n"))
                .contains("give exactly one of pin-env and pin-file");
    }

    @Test
    void invalidYamlGivesItsPosition() throws Exception {
        Path f = Files.createTempFile("bad", ".yaml");
        Files.writeString(f, "server:\n  port: [1\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML at line");
        Files.delete(f);
    }

    @Test
    void upstreamKeysComeFromTheEnvironmentAndAreNeverPrinted() throws Exception {
        assertThat(problems("backends:\n  - name: a\n    url: http://x/v1\n    api-key-env: BASTION_TEST_SURELY_UNSET\n"))
                .contains("backends[0].api-key-env: environment variable BASTION_TEST_SURELY_UNSET is not set");
    }

    @Test
    void egressEntriesAreNamesOrNetworksAndBadOnesAreNamed() throws Exception {
        BastionConfig c = parse("""
                egress:
                  mode: allow-list
                  allow:
                    - {host: "*.example.com", port: 443}
                    - network: 10.0.0.0/8
                """, Map.of());
        assertThat(c.egress().mode()).isEqualTo(dev.bastion.egress.EgressGate.Mode.ALLOW_LIST);
        assertThat(c.egress().allow()).extracting(dev.bastion.egress.AllowEntry::describe)
                .containsExactly("*.example.com:443", "10.0.0.0/8");
        assertThat(ConfigLoader.load(null, Map.of()).egress()).isEqualTo(EgressSettings.DEFAULT);
        String msg = problems("""
                egress:
                  mode: open
                  allow:
                    - host: 10.0.0.1
                    - network: 10.0.0.0/33
                    - {host: a.example, network: 10.0.0.0/8}
                """);
        assertThat(msg).contains("egress.mode").contains("egress.allow[0].host").contains("egress.allow[1].network")
                .contains("egress.allow[2].host: give exactly one of host");
    }
}
