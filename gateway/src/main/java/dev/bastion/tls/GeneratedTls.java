package dev.bastion.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TLS without an operator-supplied certificate: a local CA (kept in {@code dir}, 10 years) issues the server a
 * certificate for the configured host names (397 days), re-issued when it nears expiry or the names change.
 * Clients trust {@code ca.pem}, or check the fingerprint the server prints at start-up.
 */
public final class GeneratedTls {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** Where the generated material is; feed {@link #source()} to {@link ServerTls}. */
    public record Material(Path caCert, Path serverChain, Path serverKey, String caFingerprint, String serverFingerprint) {
        public ServerTls.Source source() { return new ServerTls.Source.PemFiles(serverChain, serverKey, null); }
    }

    private GeneratedTls() {}

    public static Material ensure(Path dir, List<String> hostNames, Clock clock) {
        Path caCert = dir.resolve("ca.pem"), caKey = dir.resolve("ca-key.pem");
        Path chain = dir.resolve("server.pem"), key = dir.resolve("server-key.pem");
        Instant now = clock.instant();
        LocalCa ca;
        if (Files.exists(caCert) && Files.exists(caKey)) {
            ca = LocalCa.readPem(caCert, caKey);
        } else {
            ca = LocalCa.generate("Bastion local CA", now.minus(Duration.ofMinutes(5)), now.plus(CA_VALIDITY));
            ca.writePem(caCert, caKey);
        }
        if (!Files.exists(chain) || !Files.exists(key) || needsNewCertificate(Pem.certificates(chain), ca, hostNames, now)) {
            ca.issue(LocalCa.Profile.SERVER, "bastion", hostNames, now.minus(Duration.ofMinutes(5)), now.plus(SERVER_VALIDITY))
                    .writePem(chain, key);
        }
        return new Material(caCert, chain, key, Fingerprints.sha256(ca.certificate()),
                Fingerprints.sha256(Pem.certificates(chain).getFirst()));
    }

    private static boolean needsNewCertificate(List<X509Certificate> chain, LocalCa ca, List<String> hostNames, Instant now) {
        X509Certificate leaf = chain.getFirst();
        if (leaf.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) return true;
        if (!leaf.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) return true;
        try {
            leaf.verify(ca.certificate().getPublicKey());
        } catch (Exception e) {
            return true;
        }
        Set<String> wanted = new HashSet<>();
        for (String n : hostNames) wanted.add(normalize(n));
        return !altNames(leaf).equals(wanted);
    }

    static Set<String> altNames(X509Certificate cert) {
        Set<String> out = new HashSet<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) for (List<?> san : sans) out.add(normalize(String.valueOf(san.get(1))));
        } catch (java.security.cert.CertificateParsingException e) {
            return Set.of();
        }
        return out;
    }

    /** IP literals in one spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same name). */
    static String normalize(String name) {
        boolean ip = name.matches("[0-9.]+") || (name.contains(":") && !name.contains("://") && !name.contains("@"));
        if (!ip) return name;
        try {
            return java.net.InetAddress.ofLiteral(name).getHostAddress();
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    /** localhost, its IPv4 and IPv6 addresses, and this machine's host name. */
    public static List<String> defaultHostNames() {
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            String host = java.net.InetAddress.getLocalHost().getHostName();
            if (!names.contains(host)) names.add(host);
        } catch (java.net.UnknownHostException ignored) {
            // no resolvable host name: localhost only
        }
        return names;
    }
}
