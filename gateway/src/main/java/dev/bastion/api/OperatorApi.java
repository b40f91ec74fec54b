package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierException;
import dev.bastion.barrier.KeyProvider;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.barrier.Passphrase;
import dev.bastion.barrier.Rewrapper;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@code /bastion/v1/operator/*}: the barrier's life cycle. {@code status} and {@code unseal} need no API key —
 * while sealed no key can be checked, and holding the passphrase is the authority; {@code init} is accepted only
 * from loopback and only once. {@code seal}, {@code rotate} and {@code rewrap} need {@code operator.manage}.
 */
public final class OperatorApi {
    static final String ACTION = "operator.manage";

    private final Barrier barrier;
    private final Map<String, Object> barrierSection;
    private final AdminGuard guard;
    private final JsonBodies json;
    private final javax.sql.DataSource dataSource;
    private final Clock clock;
    private final Supplier<Map<String, Object>> afterOpen;
    private final AdminAudit audit;
    private final ReentrantLock unsealing = new ReentrantLock();
    /** Whoever holds the passphrase: no API key can be checked while the barrier is sealed. */
    private static final dev.bastion.audit.Actor OPERATOR =
            dev.bastion.audit.Actor.of("operator:passphrase", List.of(), "passphrase");

    /**
     * @param afterOpen run after the barrier opens for the first time (issues the bootstrap admin key); returns
     *                  extra fields for the {@code init} answer
     */
    public OperatorApi(Barrier barrier, Map<String, Object> barrierSection, AdminGuard guard, JsonBodies json,
                       javax.sql.DataSource dataSource, Clock clock, Supplier<Map<String, Object>> afterOpen,
                       AdminAudit audit) {
        this.audit = audit;
        this.barrier = barrier;
        this.barrierSection = barrierSection;
        this.guard = guard;
        this.json = json;
        this.dataSource = dataSource;
        this.clock = clock;
        this.afterOpen = afterOpen;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/bastion/v1/operator/status", Responses.guarded((req, res) -> Responses.json(res, 200, status())));
        routing.post("/bastion/v1/operator/init", Responses.guarded(this::init));
        routing.post("/bastion/v1/operator/unseal", Responses.guarded(this::unseal));
        routing.post("/bastion/v1/operator/seal", Responses.guarded(this::seal));
        routing.post("/bastion/v1/operator/rotate", Responses.guarded(this::rotate));
        routing.post("/bastion/v1/operator/rewrap", Responses.guarded(this::rewrap));
    }

    private Map<String, Object> status() {
        Barrier.Status s = barrier.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("provider", s.provider());
        out.put("key_ids", s.keyIds());
        out.put("active_key_id", s.activeKeyId());
        return out;
    }

    private void init(ServerRequest req, ServerResponse res) {
        if (!fromLoopback(req)) {
            throw new ProblemException(ErrorCode.PERMISSION_DENIED.problem("init is accepted only from loopback"));
        }
        try (Passphrase p = passphrase(req)) {
            withBarrier(() -> barrier.initialize(provider(p)));
        }
        Map<String, Object> out = status();
        out.putAll(afterOpen.get());
        audit.afterTheFact(req, OPERATOR, "barrier.init", "succeeded");
        Responses.json(res, 200, out);
    }

    private void unseal(ServerRequest req, ServerResponse res) {
        try (Passphrase p = passphrase(req)) {
            unsealing.lock(); // one attempt at a time: each costs a memory-hard key derivation
            try {
                withBarrier(() -> barrier.unseal(provider(p)));
            } finally {
                unsealing.unlock();
            }
        }
        afterOpen.get();
        audit.afterTheFact(req, OPERATOR, "barrier.unseal", "succeeded");
        Responses.json(res, 200, status());
    }

    private void seal(ServerRequest req, ServerResponse res) {
        var who = guard.require(req, ACTION);
        audit.audited(req, who, "barrier.seal", null, () -> {
            barrier.seal();
            return null;
        });
        Responses.json(res, 200, status());
    }

    private void rotate(ServerRequest req, ServerResponse res) {
        var who = guard.require(req, ACTION);
        int active = audit.audited(req, who, "barrier.rotate", null, () -> withBarrier(barrier::rotate));
        Map<String, Object> out = status();
        out.put("active_key_id", active);
        Responses.json(res, 200, out);
    }

    private void rewrap(ServerRequest req, ServerResponse res) {
        var who = guard.require(req, ACTION);
        Rewrapper rewrapper = new Rewrapper(barrier, dataSource, clock);
        Map<String, Object> jobs = audit.audited(req, who, "barrier.rewrap", null, () -> {
            Map<String, Object> done = new LinkedHashMap<>();
            for (Rewrapper.Target t : List.of(Rewrapper.SUBJECT_KEYS, Rewrapper.SECRETS)) {
                Rewrapper.Result r = withBarrier(() -> rewrapper.run(t, 500, Long.MAX_VALUE));
                done.put(t.job(), Map.of("scanned", r.scanned(), "rewrapped", r.rewrapped(), "failed", r.failed(),
                        "complete", r.complete()));
            }
            return done;
        });
        Responses.json(res, 200, Map.of("jobs", jobs));
    }

    private KeyProvider provider(Passphrase p) {
        if (!"passphrase".equals(KeyProviderConfig.providerName(barrierSection))) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(
                    "this server's barrier provider unseals itself; no passphrase is taken", "passphrase"));
        }
        return KeyProviderConfig.passphrase(barrierSection, p);
    }

    private Passphrase passphrase(ServerRequest req) {
        ObjectNode body = json.readObject(req, 4096);
        JsonBodies.onlyFields(body, Set.of("passphrase"));
        JsonNode v = body.get("passphrase");
        if (v == null || !v.isTextual() || v.asText().length() < 12 || v.asText().length() > 1024) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("passphrase must be 12 to 1024 characters",
                    "passphrase"));
        }
        return Passphrase.of(v.asText().toCharArray());
    }

    private static <T> T withBarrier(Supplier<T> action) {
        try {
            return action.get();
        } catch (BarrierException e) {
            Problem p = switch (e.kind()) {
                case UNSEAL_FAILED -> ErrorCode.UNSEAL_FAILED.problem("unseal failed: wrong passphrase");
                case STATE -> ErrorCode.INVALID_STATE.problem("not possible in the barrier's current state");
                case SEALED -> ErrorCode.SEALED.problem("Bastion is sealed: an operator must unseal it");
                default -> ErrorCode.INTERNAL.problem("barrier operation failed");
            };
            throw new ProblemException(p);
        }
    }

    private static void withBarrier(Runnable action) {
        withBarrier(() -> {
            action.run();
            return null;
        });
    }

    private static boolean fromLoopback(ServerRequest req) {
        try {
            return InetAddress.getByName(req.remotePeer().host()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
