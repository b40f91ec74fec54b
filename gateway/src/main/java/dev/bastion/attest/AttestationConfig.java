package dev.bastion.attest;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a backend's {@code attestation:} block (YAML as a Jackson tree) into {@link AttestationSettings}; every
 * problem is an {@link IllegalArgumentException} naming the key. Keys (see docs/attestation.md):
 * {@code type}, {@code evidence-url}, {@code max-age} (seconds or {@code 30m}/{@code 1h}), {@code measurements}
 * (hex list or {@code any}); sev-snp: {@code min-tcb {bootloader, tee, snp, microcode, fmc}}, {@code allow-smt},
 * {@code max-vmpl}, {@code allow-vlek}, {@code allow-migration-agent}; tdx: {@code tcb-statuses}, {@code rtmrs}
 * (four entries, each a hex list or {@code any}); nvidia-cc: {@code reference-manifests} (RIM files, verified at
 * load) or {@code measurements-by-index}; token: {@code verifier {service, issuer, jwks-url, audience, algorithms,
 * claims {tee, tee-values, measurement, report-data, debug, tcb-status}}}, {@code tcb-statuses}.
 */
public final class AttestationConfig {
    private AttestationConfig() {}

    public static AttestationSettings parse(JsonNode n, Clock clock) {
        String type = text(n, "type", null);
        if (type == null) throw bad("type", "is required (" + AttestationSettings.TYPES + ")");
        URI url = URI.create(text(n, "evidence-url", ""));
        Duration maxAge = duration(n.get("max-age"), Duration.ofHours(1));
        AllowList measurements = allowList(n.get("measurements"), "measurements");
        Set<String> statuses = strings(n.get("tcb-statuses"), Set.of("UpToDate"));
        SevSnpPolicy snp = null;
        TdxPolicy tdx = null;
        NvidiaGpuPolicy gpu = null;
        AttestationSettings.TokenSettings token = null;
        switch (type) {
            case "sev-snp" -> snp = new SevSnpPolicy(tcb(n.get("min-tcb")), measurements,
                    bool(n, "allow-migration-agent", false), bool(n, "allow-smt", true), integer(n, "max-vmpl", 0),
                    bool(n, "allow-vlek", true));
            case "tdx" -> tdx = new TdxPolicy(statuses, measurements, rtmrs(n.get("rtmrs")));
            case "nvidia-cc" -> gpu = gpu(n, clock);
            case "token" -> token = token(n.path("verifier"), measurements, statuses);
            default -> throw bad("type", "must be one of " + AttestationSettings.TYPES);
        }
        return new AttestationSettings(type, url, maxAge, snp, tdx, gpu, token, testRoots(n));
    }

    /** {@code insecure-test-roots: FILE.pem}: trust anchors replacing the vendors' (test benches, labs — never production). */
    private static List<java.security.cert.X509Certificate> testRoots(JsonNode n) {
        String file = text(n, "insecure-test-roots", null);
        if (file == null) return List.of();
        try {
            return Certificates.parseAll(Files.readAllBytes(Path.of(file)), "insecure-test-roots");
        } catch (IOException | EvidenceException e) {
            throw bad("insecure-test-roots", "cannot be read as PEM certificates");
        }
    }

    private static NvidiaGpuPolicy gpu(JsonNode n, Clock clock) {
        List<GpuReferenceManifest> refs = new ArrayList<>();
        for (JsonNode f : n.path("reference-manifests")) {
            try {
                refs.add(GpuReferenceManifest.fromSwidTag(Files.readAllBytes(Path.of(f.asText())), clock.instant()));
            } catch (IOException e) {
                throw bad("reference-manifests", "cannot read " + f.asText());
            }
        }
        JsonNode byIndex = n.get("measurements-by-index");
        if (byIndex != null) {
            Map<Integer, Set<String>> golden = new HashMap<>();
            byIndex.properties().forEach(e -> golden.put(Integer.parseInt(e.getKey()), strings(e.getValue(), Set.of())));
            refs.add(GpuReferenceManifest.of("configured", golden));
        }
        if (refs.isEmpty() && !"none".equals(text(n, "reference", ""))) {
            throw bad("reference-manifests", "give reference manifests, measurements-by-index, or reference: none");
        }
        return refs.isEmpty() ? NvidiaGpuPolicy.identityOnly() : new NvidiaGpuPolicy(refs, true);
    }

    private static AttestationSettings.TokenSettings token(JsonNode v, AllowList measurements, Set<String> statuses) {
        if (!v.isObject()) throw bad("verifier", "is required for type token");
        String service = text(v, "service", null);
        VerifierTokenProfile profile;
        if ("self-hosted".equals(service)) {
            JsonNode c = v.path("claims");
            Map<String, Tee> values = new HashMap<>();
            c.path("tee-values").properties().forEach(e -> values.put(e.getKey(), Tee.fromId(e.getValue().asText())));
            profile = new VerifierTokenProfile("self-hosted", text(c, "tee", null), values, text(c, "measurement", null),
                    text(c, "report-data", null), text(c, "debug", null), text(c, "tcb-status", null));
        } else {
            if (service == null) throw bad("verifier.service", "is required");
            profile = VerifierTokenProfile.named(service);
        }
        Set<String> algs = strings(v.get("algorithms"), Set.of(service.equals("intel-trust-authority") ? "PS384" : "RS256"));
        return new AttestationSettings.TokenSettings(profile, text(v, "issuer", null),
                URI.create(text(v, "jwks-url", "")), algs, text(v, "audience", null), measurements, statuses);
    }

    private static SnpTcb tcb(JsonNode t) {
        if (t == null || t.isNull()) return null;
        return new SnpTcb(t.path("bootloader").asInt(0), t.path("tee").asInt(0), t.path("snp").asInt(0),
                t.path("microcode").asInt(0), t.path("fmc").asInt(0));
    }

    private static List<AllowList> rtmrs(JsonNode r) {
        if (r == null) return List.of(AllowList.ANY, AllowList.ANY, AllowList.ANY, AllowList.ANY);
        if (!r.isArray() || r.size() != 4) throw bad("rtmrs", "needs four entries (RTMR0..3), each a list or any");
        List<AllowList> out = new ArrayList<>();
        for (JsonNode e : r) out.add(allowList(e, "rtmrs"));
        return out;
    }

    private static AllowList allowList(JsonNode v, String key) {
        if (v == null) throw bad(key, "is required: a list of allowed hex values, or any");
        if (v.isTextual() && v.asText().equals("any")) return AllowList.ANY;
        try {
            return AllowList.of(strings(v, null));
        } catch (IllegalArgumentException e) {
            throw bad(key, "must be hex values");
        }
    }

    private static Set<String> strings(JsonNode v, Set<String> fallback) {
        if (v == null || v.isNull()) return fallback;
        if (!v.isArray()) throw new IllegalArgumentException("attestation: expected a list");
        Set<String> out = new HashSet<>();
        for (JsonNode e : v) out.add(e.asText());
        return out;
    }

    private static Duration duration(JsonNode v, Duration fallback) {
        if (v == null) return fallback;
        if (v.canConvertToLong()) return Duration.ofSeconds(v.asLong());
        String s = v.asText().trim();
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw bad("max-age", "must be seconds or end in s, m or h");
        };
    }

    private static String text(JsonNode n, String key, String fallback) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static boolean bool(JsonNode n, String key, boolean fallback) {
        JsonNode v = n.get(key);
        if (v == null) return fallback;
        if (!v.isBoolean()) throw bad(key, "must be true or false");
        return v.asBoolean();
    }

    private static int integer(JsonNode n, String key, int fallback) {
        JsonNode v = n.get(key);
        return v == null ? fallback : v.asInt();
    }

    private static IllegalArgumentException bad(String key, String why) {
        return new IllegalArgumentException("attestation." + key + " " + why);
    }
}
