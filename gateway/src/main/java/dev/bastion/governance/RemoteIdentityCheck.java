package dev.bastion.governance;

import dev.bastion.backend.ModelBackend;
import dev.bastion.backend.ReportedIdentities;
import dev.bastion.pipeline.Exchange;
import dev.bastion.route.Eligibility;
import dev.bastion.route.Route;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A remote model routes only while its backend reports the identity the operator registered for it
 * ({@code expected_identity}: a revision, a digest, the path it was loaded from): a server quietly swapped to other
 * weights under the same name stops getting traffic. Each backend's list of models is asked for at first use, again
 * on every registry change and every {@code governance.identity-recheck}; between those the last answer stands. A
 * backend that cannot be asked, or does not list the model, or lists it with other identities, is not eligible
 * (reason {@value #IDENTITY}) — fail closed. Local engine models are bound by their file's SHA-256 instead.
 */
public final class RemoteIdentityCheck implements Eligibility {
    /** The routing reason class. */
    public static final String IDENTITY = "identity";
    private static final Logger LOG = Logger.getLogger(RemoteIdentityCheck.class.getName());
    /** How long an unanswered ask is remembered before a request may ask again. */
    private static final Duration RETRY_UNANSWERED = Duration.ofSeconds(5);

    private record Answer(Map<String, Set<String>> models, Instant at) {}

    private final RoutingGate gate;
    private final Function<String, ModelBackend> backends;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public RemoteIdentityCheck(RoutingGate gate, Function<String, ModelBackend> backends, Clock clock) {
        this.gate = gate;
        this.backends = backends;
        this.clock = clock;
    }

    @Override
    public String excluded(Exchange exchange, Route route) {
        if (Bindings.isLocal(route)) return null;
        String expected = gate.check(Bindings.of(route)).artifactDigest();
        if (expected == null) return null;
        Answer a = answers.get(route.backendName());
        if (a == null || (a.models() == null && a.at().plus(RETRY_UNANSWERED).isBefore(clock.instant()))) {
            a = ask(route.backendName());
        }
        Set<String> reported = a.models() == null ? null : a.models().get(route.upstreamModel());
        return reported != null && reported.contains(ReportedIdentities.normalise(expected)) ? null : IDENTITY;
    }

    /** Asks every backend asked before again (registry changes, the periodic recheck). */
    public void recheck() {
        for (String backend : answers.keySet()) ask(backend);
    }

    private Answer ask(String backendName) {
        ModelBackend backend = backends.apply(backendName);
        Answer answer = new Answer(backend == null ? null : backend.reportedIdentities(), clock.instant());
        Answer before = answers.put(backendName, answer);
        if (answer.models() == null && (before == null || before.models() != null)) {
            LOG.warning("backend '" + backendName + "' did not list its models: its registered remote models with an "
                    + "expected identity are not routed until it does");
        } else if (answer.models() != null && before != null && !answer.models().equals(before.models())) {
            LOG.info("backend '" + backendName + "' reports a changed model list; expected identities are checked against it");
        }
        return answer;
    }
}
