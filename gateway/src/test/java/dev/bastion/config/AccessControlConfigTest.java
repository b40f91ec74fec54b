package dev.bastion.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bastion.identity.ClaimMapping;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code policy:} and {@code identity:} sections: defaults, every option, and bad values naming their key. */
class AccessControlConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static BastionConfig parse(String yaml, Map<String, String> env) throws Exception {
        return ConfigLoader.parse(YAML.readTree(yaml), env, "test.yaml");
    }

    private static String problems(String yaml) {
        try {
            parse(yaml, Map.of());
        } catch (ConfigException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the configuration to be refused");
    }

    @Test
    void withoutTheSectionsTheShippedPolicyDecidesAndOnlyKeysAuthenticate() throws Exception {
        BastionConfig c = parse("server: {port: 0}\n", Map.of());
        assertThat(c.policy().builtIn()).isTrue();
        assertThat(c.policy().watch()).isFalse();
        assertThat(c.identity().issuers()).isEmpty();
    }

    @Test
    void aPolicyFileAndItsWatchAreRead() throws Exception {
        Path file = Files.createTempFile("policy", ".yaml");
        BastionConfig c = parse("policy: {file: \"" + file + "\", watch: true}\n", Map.of());
        assertThat(c.policy().file()).isEqualTo(file);
        assertThat(c.policy().watch()).isTrue();
        // and from the environment, like every scalar
        BastionConfig env = parse("server: {port: 0}\n", Map.of("BASTION_POLICY_FILE", file.toString()));
        assertThat(env.policy().file()).isEqualTo(file);
        Files.delete(file);
    }

    @Test
    void everyIssuerOptionIsRead() throws Exception {
        Path jwks = Files.createTempFile("jwks", ".json");
        BastionConfig c = parse("""
                identity:
                  issuers:
                    - issuer: https://idp.example/realms/acme
                      audiences: [bastion, bastion-api]
                      jwks-url: https://idp.example/realms/acme/protocol/openid-connect/certs
                      algorithms: [RS256, ES256]
                      clock-skew: 30s
                      jwks-ttl: 10m
                      jwks-min-refetch: 1m
                      jwks-max-stale: 2h
                      cache-size: 500
                      claims:
                        subject: preferred_username
                        roles:
                          - {claim: realm_access.roles}
                          - {claim: groups, map: {"/acme/ml-admins": admin}}
                          - {claim: scope, format: space-delimited, map: {bastion.audit: auditor}, only-mapped: true}
                        attributes: {department: org.department, tenant: tenant}
                        service: {when: '"gty" in claims && claims.gty == "client-credentials"', roles: [service]}
                    - issuer: https://k8s.example
                      audiences: [bastion]
                      jwks-file: %s
                    - issuer: https://login.example
                      audiences: [bastion]
                """.formatted(jwks), Map.of());
        List<IdentitySettings.Issuer> issuers = c.identity().issuers();
        assertThat(issuers).hasSize(3);
        var acme = issuers.get(0);
        assertThat(acme.jwks()).isInstanceOf(IdentitySettings.Jwks.Url.class);
        assertThat(acme.jwt().audiences()).containsExactlyInAnyOrder("bastion", "bastion-api");
        assertThat(acme.jwt().algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(acme.jwt().clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(acme.jwt().jwksTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(acme.jwt().jwksMinRefetch()).isEqualTo(Duration.ofMinutes(1));
        assertThat(acme.jwt().jwksMaxStale()).isEqualTo(Duration.ofHours(2));
        assertThat(acme.jwt().cacheSize()).isEqualTo(500);
        ClaimMapping m = acme.jwt().claims();
        assertThat(m.subjectClaim()).isEqualTo("preferred_username");
        assertThat(m.roleSources()).hasSize(3);
        assertThat(m.roleSources().get(0).onlyMapped()).isFalse();
        assertThat(m.roleSources().get(1).onlyMapped()).as("a map keeps only mapped values by default").isTrue();
        assertThat(m.roleSources().get(2).format()).isEqualTo(ClaimMapping.RoleSource.Format.SPACE_DELIMITED);
        assertThat(m.attributeClaims()).containsEntry("department", "org.department");
        assertThat(m.serviceWhen()).contains("client-credentials");
        assertThat(m.serviceRoles()).isEqualTo(Set.of("service"));
        assertThat(issuers.get(1).jwks()).isEqualTo(new IdentitySettings.Jwks.File(jwks));
        assertThat(issuers.get(2).jwks()).as("discovery when no key source is named")
                .isInstanceOf(IdentitySettings.Jwks.Discovery.class);
        assertThat(issuers.get(2).jwt().claims()).isEqualTo(ClaimMapping.defaults());
        Files.delete(jwks);
    }

    @Test
    void badValuesNameTheirKeyAllAtOnce() {
        String msg = problems("""
                policy: {file: /no/such/policy.yaml, watch: maybe}
                identity:
                  issuers:
                    - issuer: https://a.example
                      jwks-url: http://a.example/jwks
                      algorithms: [RS256, HS256]
                      clock-skew: 10m
                      claims:
                        subject: "not a path"
                        roles: [{claim: "groups..x"}, {claim: groups, only-mapped: true}]
                        attributes: {Department: department, team: "a b"}
                        service: {when: "claims.", roles: [service]}
                    - issuer: http://idp.example
                      audiences: [bastion]
                      jwks-url: https://a.example/jwks
                      jwks-file: /x.json
                    - issuer: plain-name
                      audiences: [bastion]
                    - issuer: https://a.example
                      audiences: [x]
                      jwks-file: /no/such/jwks.json
                      claim: {}
                """);
        assertThat(msg).contains("policy.file: no such file")
                .contains("policy.watch: must be true or false")
                .contains("identity.issuers[0].audiences: at least one audience is required")
                .contains("identity.issuers[0].jwks-url: must be an https:// URL")
                .contains("identity.issuers[0].algorithms: must be a subset of [RS256, ES256, EdDSA]")
                .contains("identity.issuers[0].clock-skew: must be at most 5m")
                .contains("identity.issuers[0].claims.subject: must be a claim path")
                .contains("identity.issuers[0].claims.roles[0].claim: must be a claim path")
                .contains("identity.issuers[0].claims.roles[1].only-mapped: needs map")
                .contains("identity.issuers[0].claims.attributes.Department: attribute names are lowercase identifiers")
                .contains("identity.issuers[0].claims.attributes.team: must be a claim path")
                .contains("identity.issuers[0].claims.service.when: is not a boolean CEL expression")
                .contains("identity.issuers[1].jwks-url: give exactly one of jwks-url, jwks-file and discovery")
                .contains("identity.issuers[2].issuer: discovery needs an https:// issuer URL")
                .contains("identity.issuers[3].jwks-file: no such file")
                .contains("identity.issuers[3].claim: unknown key (did you mean 'claims'?)");
        assertThat(problems("policy: {watch: true}\n")).contains("policy.watch: needs policy.file");
        assertThat(problems("identity: {issuers: [{issuer: \"https://a.example\", audiences: [a]}, "
                + "{issuer: \"https://a.example\", audiences: [b]}]}\n"))
                .contains("identity.issuers: issuer 'https://a.example' is declared twice");
        assertThat(problems("identity: {issuers: [{issuer: \"https://a.example\", audiences: [a], "
                + "claims: {service: {roles: [service]}}}]}\n")).contains("identity.issuers[0].claims.service.roles: "
                + "service roles need service.when");
    }

    @Test
    void anInvalidPolicyFileStopsTheStartWithItsErrors() throws Exception {
        Path dir = Files.createTempDirectory("bastion-bad-policy");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\nrules:\n  - {id: a, effect: permit, roles: [x], actions: [model.delete]}\n");
        Path yaml = dir.resolve("bastion.yaml");
        Files.writeString(yaml, "server: {port: 0}\ndata-dir: " + dir.resolve("data") + "\npolicy: {file: \"" + policy + "\"}\n");
        BastionConfig config = ConfigLoader.load(yaml, Map.of());
        assertThatThrownBy(() -> dev.bastion.server.BastionServer.start(config, java.time.Clock.systemUTC(),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
                .hasMessageContaining(policy + ":3:").hasMessageContaining("unknown action 'model.delete'");
    }
}
