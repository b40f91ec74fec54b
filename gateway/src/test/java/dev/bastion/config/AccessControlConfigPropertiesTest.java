package dev.bastion.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any shape of {@code policy:} / {@code identity:} section — wrong types, missing parts, odd values — gives either a
 * configuration or a {@link ConfigException} naming keys under those sections, never another exception.
 */
class AccessControlConfigPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ISSUER_KEYS = List.of("issuer", "audiences", "jwks-url", "jwks-file", "discovery",
            "algorithms", "clock-skew", "jwks-ttl", "jwks-min-refetch", "jwks-max-stale", "cache-size", "claims");
    private static final List<String> CLAIM_KEYS = List.of("subject", "roles", "attributes", "service");

    @Property(tries = 400)
    void anyIdentitySectionIsAConfigurationOrNamedProblems(@ForAll("identity") Map<String, Object> identity,
                                                           @ForAll("anything") Object policy) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("identity", identity);
        root.put("policy", policy);
        JsonNode node = JSON.valueToTree(root);
        try {
            BastionConfig c = ConfigLoader.parse(node, Map.of(), "fuzz.yaml");
            assertThat(c.identity()).isNotNull();
            assertThat(c.policy()).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).containsAnyOf("identity", "policy");
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> identity() {
        Arbitrary<Object> claims = Arbitraries.maps(Arbitraries.of(CLAIM_KEYS), anything()).ofMaxSize(4)
                .map(m -> (Object) m);
        Arbitrary<Object> issuer = Arbitraries.maps(Arbitraries.of(ISSUER_KEYS), Arbitraries.oneOf(anything(), claims))
                .ofMaxSize(8).map(m -> (Object) m);
        return Arbitraries.oneOf(issuer.list().ofMaxSize(3).map(l -> (Object) l), anything())
                .map(issuers -> Map.of("issuers", issuers));
    }

    @Provide
    Arbitrary<Object> anything() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.of("", "https://idp.example", "http://127.0.0.1:9/jwks", "http://idp.example", "sub",
                        "a..b", "RS256", "HS256", "none", "60s", "10m", "-1", "true", "maybe", "claims.x == 1",
                        "!has(claims.azp)", "/no/such/file", "list", "space-delimited", "admin"),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.integers().between(-5, 2_000_000).map(i -> (Object) i),
                Arbitraries.of(true, false));
        return Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(3).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.of("claim", "map", "format", "only-mapped", "when", "roles", "file", "watch"),
                        scalar).ofMaxSize(3).map(m -> (Object) m));
    }
}
