package dev.bastion.server;

import dev.bastion.attest.AttestationSettings;
import dev.bastion.attest.BackendAttestation;
import dev.bastion.attest.BackendAttestor;
import dev.bastion.attest.EvidenceSource;
import dev.bastion.config.BackendSettings;
import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.TlsLayer;
import dev.bastion.identity.JwksSource;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.Resource;
import dev.bastion.route.Route;

import javax.net.ssl.SSLSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Attestation-gated backends in the request path: one {@link BackendAttestor} per backend that declares
 * {@code attestation:}. Its TLS layer admits every new connection's session (evidence bound to that session's key);
 * a routing check excludes the backend while no attestation is in force ({@code attestation}); the stage after
 * selection gives policy {@code resource.attested/tee/measurement} and the accept record the evidence digest; a
 * refresher attests ahead of traffic over a probe connection and re-attests before expiry.
 */
final class AttestationRouting {
    private static final Logger LOG = Logger.getLogger(AttestationRouting.class.getName());
    static final String EXCLUDED = "attestation";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** {@link Wiring} runs {@link #refresh()} every 15 s. */
    static final Duration REFRESH_PERIOD = Duration.ofSeconds(15);
    private static final Duration REFRESH_MARGIN = REFRESH_PERIOD.multipliedBy(2);

    private record Attested(AttestationSettings settings, BackendAttestor attestor, Destination probe, TlsLayer tls,
                            Duration maxAge) {}

    private final EgressGate egress;
    private final EgressHttp http;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Attested> backends = new ConcurrentHashMap<>();

    AttestationRouting(EgressGate egress, Clock clock) {
        this.egress = egress;
        this.http = new EgressHttp(egress);
        this.clock = clock;
    }

    /** The TLS a backend's connections use: its own, plus attestation of every new session when it declares it. */
    TlsLayer tls(BackendSettings b, TlsLayer upstream) {
        AttestationSettings s = b.attestation();
        if (s == null) return upstream;
        // a reload that changes a backend's attestation gets a new attestor; an unchanged one keeps its sessions
        Attested a = backends.compute(b.name(), (name, old) -> old != null && old.settings().equals(s) ? old
                : create(b, s, upstream));
        return a.attestor().tlsLayer(upstream);
    }

    private Attested create(BackendSettings b, AttestationSettings s, TlsLayer upstream) {
        String purpose = "attestation:" + b.name();
        if (!s.roots().isEmpty()) {
            LOG.warning("backend '" + b.name() + "' trusts insecure-test-roots instead of the vendors' roots: "
                    + "its attestation proves nothing outside a test bench");
        }
        egress.declare(Destination.of(purpose, s.evidenceUrl()));
        Destination probe = egress.declare(Destination.of(purpose, b.url()));
        JwksSource keys = null;
        if (s.token() != null) {
            egress.declare(Destination.of(purpose, s.token().jwksUrl()));
            keys = JwksSource.url(http, s.token().jwksUrl(), Duration.ofSeconds(5));
        }
        var attestor = new BackendAttestor(b.name(), s, EvidenceSource.through(http, purpose, upstream, TIMEOUT), keys,
                clock, random);
        return new Attested(s, attestor, probe, upstream, s.maxAge());
    }

    /** After a routing reload: forgets backends that are gone or no longer declare attestation. */
    void retain(Map<String, BackendSettings> current) {
        backends.keySet().removeIf(name -> current.get(name) == null || current.get(name).attestation() == null);
    }

    /** Routing eligibility: a backend that must attest is out while no attestation of it is in force. */
    String excluded(Exchange exchange, Route candidate) {
        Attested a = backends.get(candidate.backendName());
        return a == null || a.attestor().current() != null ? null : EXCLUDED;
    }

    /** What policy sees of a candidate: its resource, attested when its attestation is in force. */
    Resource resource(Route r, Resource base) {
        BackendAttestation current = current(r.backendName());
        return current == null ? base : base.withAttestation(current.tee().id(), current.measurement());
    }

    /** After selection: the routed backend's attestation as a fact (audit) and on the policy resource. */
    Stage stage() {
        return new Stage() {
            @Override
            public String name() { return "attestation"; }

            @Override
            public Outcome onRequest(Exchange exchange) {
                Route r = exchange.get(Route.class);
                BackendAttestation current = r == null ? null : current(r.backendName());
                if (current != null) {
                    exchange.put(BackendAttestation.class, current);
                    Resource res = exchange.get(Resource.class);
                    if (res != null) exchange.put(Resource.class, res.withAttestation(current.tee().id(),
                            current.measurement()));
                }
                return Outcome.proceed();
            }
        };
    }

    private BackendAttestation current(String backend) {
        Attested a = backends.get(backend);
        return a == null ? null : a.attestor().current();
    }

    /**
     * Attests each backend that has no attestation in force, or one expiring within a tenth of its max age (at least 30 s), over a
     * probe connection (a session of its own; data connections are admitted when they open).
     */
    void refresh() {
        for (Attested a : backends.values()) {
            BackendAttestation current = a.attestor().current();
            // at least two refresh periods ahead, so a backend is attested again before routing sees it expire
            Duration margin = a.maxAge().dividedBy(10);
            if (margin.compareTo(REFRESH_MARGIN) < 0) margin = REFRESH_MARGIN;
            if (current != null && current.expiresAt().isAfter(clock.instant().plus(margin))) continue;
            try (SSLSocket s = egress.connectTls(a.probe(), TIMEOUT, a.tls())) {
                a.attestor().admit(s.getSession());
            } catch (Exception e) {
                LOG.warning("attestation probe of " + a.attestor().backend() + " failed: " + e.getClass().getSimpleName());
            }
        }
    }

    /** Backend → why it is out of rotation for attestation (readiness), for every attested backend that is out. */
    Map<String, String> outOfRotation() {
        Map<String, String> out = new LinkedHashMap<>();
        backends.forEach((name, a) -> {
            String why = a.attestor().readinessReason();
            if (why != null) out.put(name, why);
        });
        return out;
    }
}
