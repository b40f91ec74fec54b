package dev.bastion.bench.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bastion.identity.ClaimMapping;
import dev.bastion.identity.JwksSource;
import dev.bastion.identity.JwtConfig;
import dev.bastion.identity.JwtResult;
import dev.bastion.identity.JwtVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A repeated bearer token (goal ≤ 5 µs) against a full RS256 verification (the baseline). Each call gets a fresh
 * String copy of the token, as a request header parser would hand over, so the hash is computed every time.
 * Run: {@code java -jar bench/target/bastion-bench.jar JwtCacheBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class JwtCacheBench {
    JwtVerifier cached;
    JwtVerifier uncached;
    char[] token;

    @Setup
    public void setup() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = Files.createTempFile("bench-jwks", ".json");
        jwks.toFile().deleteOnExit();
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        var now = Instant.now();
        var claims = new JWTClaimsSet.Builder().issuer("https://idp.example/realms/acme").subject("f3a1c2d4-5e6f")
                .audience("bastion").expirationTime(Date.from(now.plusSeconds(3600))).issueTime(Date.from(now))
                .claim("realm_access", Map.of("roles", List.of("developer", "offline_access")))
                .claim("groups", List.of("/acme/engineering", "/acme/all")).claim("department", "engineering")
                .claim("email", "someone@example.com").claim("scope", "openid profile email").build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize().toCharArray();
        var mapping = ClaimMapping.defaults().withRoles(ClaimMapping.RoleSource.list("realm_access.roles"))
                .withAttributes(Map.of("department", "department"));
        var config = JwtConfig.of("https://idp.example/realms/acme", "bastion").withClaims(mapping);
        cached = new JwtVerifier(config, JwksSource.file(jwks), Clock.systemUTC());
        uncached = new JwtVerifier(config.withCacheSize(0), JwksSource.file(jwks), Clock.systemUTC());
        if (!(cached.verify(new String(token)) instanceof JwtResult.Verified)
                || !(uncached.verify(new String(token)) instanceof JwtResult.Verified)) {
            throw new IllegalStateException("benchmark token does not verify");
        }
    }

    @Benchmark
    public JwtResult repeatedTokenCached() { return cached.verify(new String(token)); }

    @Benchmark
    public JwtResult fullVerificationBaseline() { return uncached.verify(new String(token)); }
}
