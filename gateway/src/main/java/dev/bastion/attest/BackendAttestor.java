package dev.bastion.attest;

import dev.bastion.identity.JwksSource;
import dev.bastion.identity.JwtConfig;
import dev.bastion.identity.JwtVerifier;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Attests one backend per TLS session: the first time a session is used, it fetches the backend's evidence with a
 * fresh nonce, verifies it, and requires it to be bound to the public key of the certificate that session
 * presented. The outcome is kept for the session until the evidence (or {@code max-age}) expires, so requests on an
 * attested connection cost one map lookup; a new connection (reconnect) is attested afresh. A refusal takes the
 * backend out of rotation until a later session attests.
 */
public final class BackendAttestor {
    private static final Logger LOG = Logger.getLogger(BackendAttestor.class.getName());
    /** A refused session is not re-attested more often than this (the evidence endpoint is not hammered). */
    private static final Duration REFUSAL_HOLD = Duration.ofSeconds(30);
    private static final int MAX_SESSIONS = 4096;

    private record Entry(Admission admission, long expiresAtMillis) {}

    private final String backend;
    private final AttestationSettings settings;
    private final EvidenceSource source;
    private final EvidenceVerifier verifier;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<SSLSession, Entry> sessions = new ConcurrentHashMap<>();
    private volatile Entry latest;
    private volatile long fetches;

    /**
     * @param verifierKeys for type {@code token}: the verifier's key set ({@code JwksSource.url(egressHttp, …)}),
     *                     else null
     */
    public BackendAttestor(String backend, AttestationSettings settings, EvidenceSource source, JwksSource verifierKeys,
                           Clock clock, SecureRandom random) {
        this.backend = backend;
        this.settings = settings;
        this.source = source;
        this.clock = clock;
        this.random = random;
        this.verifier = new EvidenceVerifier(settings, clock, tokens(settings, verifierKeys, clock));
    }

    /** Whether requests may use this TLS session; verifies on first use and after expiry. Never throws. */
    public Admission admit(SSLSession session) {
        long now = clock.millis();
        Entry e = sessions.get(session);
        if (e != null && now < e.expiresAtMillis()) return e.admission();
        return attest(session, now);
    }

    private synchronized Admission attest(SSLSession session, long now) {
        Entry e = sessions.get(session);
        if (e != null && now < e.expiresAtMillis()) return e.admission();
        Entry fresh = verify(session, now);
        if (sessions.size() >= MAX_SESSIONS) sessions.entrySet().removeIf(x -> x.getValue().expiresAtMillis() <= now);
        if (sessions.size() >= MAX_SESSIONS) sessions.clear();
        sessions.put(session, fresh);
        latest = fresh;
        if (fresh.admission() instanceof Admission.Refused r) LOG.warning(r.reason());
        return fresh.admission();
    }

    private Entry verify(SSLSession session, long now) {
        X509Certificate peer;
        try {
            Certificate[] chain = session.getPeerCertificates();
            peer = (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return refused(Refusal.BINDING_MISMATCH, "the TLS session has no peer certificate", now);
        }
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] document;
        try {
            fetches++;
            document = source.fetch(settings.evidenceUrl(), nonce);
        } catch (IOException | RuntimeException e) {
            return refused(Refusal.EVIDENCE_UNAVAILABLE, "evidence could not be fetched (" + e.getClass().getSimpleName()
                    + ")", now);
        }
        return switch (verifier.verify(document, nonce, TlsKeyBinding.spkiSha256(peer))) {
            case Verdict.Attested a -> {
                Instant until = a.notAfter();
                Instant cap = Instant.ofEpochMilli(now).plus(settings.maxAge());
                if (cap.isBefore(until)) until = cap;
                yield new Entry(new Admission.Admitted(BackendAttestation.of(backend, a, until)), until.toEpochMilli());
            }
            case Verdict.Refused r -> new Entry(new Admission.Refused(backend, r), now + REFUSAL_HOLD.toMillis());
        };
    }

    private Entry refused(Refusal reason, String detail, long now) {
        return new Entry(new Admission.Refused(backend, Verdict.refused(reason, detail)), now + REFUSAL_HOLD.toMillis());
    }

    /**
     * The backend's TLS with attestation: every new connection's session is admitted before the connection is used
     * (a refused one is closed and fails with {@link AttestationRefusedException}); a kept-alive connection is reused
     * only while its session's attestation is in force, attested again on the same session once it expired.
     */
    public dev.bastion.egress.TlsLayer tlsLayer(dev.bastion.egress.TlsLayer inner) {
        return new dev.bastion.egress.TlsLayer() {
            @Override
            public javax.net.ssl.SSLSocket wrap(java.net.Socket connected, String host, int port) throws IOException {
                javax.net.ssl.SSLSocket s = inner.wrap(connected, host, port);
                if (admit(s.getSession()) instanceof Admission.Refused r) {
                    s.close();
                    throw new AttestationRefusedException(r.reason());
                }
                return s;
            }

            @Override
            public boolean reusable(javax.net.ssl.SSLSocket socket) {
                return inner.reusable(socket) && admit(socket.getSession()) instanceof Admission.Admitted;
            }
        };
    }

    /** In rotation: the latest session attested and has not expired. */
    public boolean eligible() {
        Entry e = latest;
        return e != null && e.admission() instanceof Admission.Admitted && clock.millis() < e.expiresAtMillis();
    }

    /** Why the backend is out of rotation (for readiness), or null while it is attested. */
    public String readinessReason() {
        Entry e = latest;
        if (e == null) return "attestation of " + backend + " pending: no session attested yet";
        if (e.admission() instanceof Admission.Refused r) return r.reason();
        if (clock.millis() >= e.expiresAtMillis()) return "attestation of " + backend + " expired";
        return null;
    }

    /** The latest attestation in force, or null: what routing puts on a request for policy and the audit record. */
    public BackendAttestation current() {
        Entry e = latest;
        return e != null && e.admission() instanceof Admission.Admitted a && clock.millis() < e.expiresAtMillis()
                ? a.attestation() : null;
    }

    public String backend() { return backend; }

    /** Evidence documents fetched so far (tests and metrics). */
    public long fetches() { return fetches; }

    private static VerifierTokenVerifier tokens(AttestationSettings s, JwksSource keys, Clock clock) {
        if (s.token() == null) return null;
        if (keys == null) throw new IllegalArgumentException("attestation type token needs the verifier's key set");
        AttestationSettings.TokenSettings t = s.token();
        JwtConfig config = new JwtConfig(t.issuer(), java.util.Set.of(t.audience() == null ? "bastion" : t.audience()),
                t.algorithms(), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofHours(1), 0, dev.bastion.identity.ClaimMapping.defaults());
        JwtVerifier jwt = JwtVerifier.forAttestationTokens(config, keys, clock);
        return new VerifierTokenVerifier(jwt, t.profile(), t.measurements(), t.acceptedTcbStatuses());
    }
}
