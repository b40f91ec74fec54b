package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AdminLog;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierException;
import dev.bastion.barrier.KeyProvider;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.barrier.Passphrase;
import dev.bastion.barrier.Rewrapper;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@code /bastion/v1/operator/*}: the barrier's life cycle. {@code status}, {@code init} and {@code unseal} are the
 * only routes that answer while sealed and need no API key — while sealed no key can be checked, and holding the
 * passphrase is the authority; {@code init} is accepted only from loopback and only once. {@code seal},
 * {@code rotate} and {@code rewrap} need {@code operator.manage} and are audited before they act.
 */
public final class OperatorApi {
    static final String ACTION = "operator.manage";

    private final Barrier barrier;
    private final Map<String, Object> barrierSection;
    private final javax.sql.DataSource dataSource;
    private final Clock clock;
    private final Supplier<Map<String, Object>> afterOpen;
    private final AdminLog audit;
    private final ReentrantLock unsealing = new ReentrantLock();
    /** Whoever holds the passphrase: no API key can be checked while the barrier is sealed. */
    private static final dev.bastion.audit.Actor OPERATOR =
            dev.bastion.audit.Actor.of("operator:passphrase", List.of(), "passphrase");

    /**
     * @param afterOpen run after the barrier opens for the first time (issues the bootstrap admin key); returns
     *                  extra fields for the {@code init} answer
     */
    public OperatorApi(Barrier barrier, Map<String, Object> barrierSection, javax.sql.DataSource dataSource,
                       Clock clock, Supplier<Map<String, Object>> afterOpen, AdminLog audit) {
        this.audit = audit;
        this.barrier = barrier;
        this.barrierSection = barrierSection;
        this.dataSource = dataSource;
        this.clock = clock;
        this.afterOpen = afterOpen;
    }

    public void register(AdminRoutes routes) {
        routes.get("/bastion/v1/operator/status", Access.withoutCredentials("barrier.status"), call -> Reply.ok(status()));
        routes.post("/bastion/v1/operator/init", Access.withoutCredentials("barrier.init"), this::init);
        routes.post("/bastion/v1/operator/unseal", Access.withoutCredentials("barrier.unseal"), this::unseal);
        Access manage = Access.to(ACTION);
        routes.post("/bastion/v1/operator/seal", manage.audited("barrier.seal"), this::seal);
        routes.post("/bastion/v1/operator/rotate", manage.audited("barrier.rotate"), this::rotate);
        routes.post("/bastion/v1/operator/rewrap", manage.audited("barrier.rewrap"), this::rewrap);
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

    private Reply init(AdminCall call) {
        if (!call.fromLoopback()) {
            throw new ProblemException(ErrorCode.PERMISSION_DENIED.problem("init is accepted only from loopback"));
        }
        try (Passphrase p = passphrase(call)) {
            withBarrier(() -> barrier.initialize(provider(p)));
        }
        Map<String, Object> out = status();
        out.putAll(afterOpen.get());
        afterTheFact(call, "barrier.init");
        return Reply.ok(out);
    }

    private Reply unseal(AdminCall call) {
        try (Passphrase p = passphrase(call)) {
            unsealing.lock(); // one attempt at a time: each costs a memory-hard key derivation
            try {
                withBarrier(() -> barrier.unseal(provider(p)));
            } finally {
                unsealing.unlock();
            }
        }
        afterOpen.get();
        afterTheFact(call, "barrier.unseal");
        return Reply.ok(status());
    }

    /** Opening the barrier opens the ledger: these two are recorded once they happened. */
    private void afterTheFact(AdminCall call, String action) {
        audit.afterTheFact(call.requestId(), OPERATOR, call.exchange().clientAddress(), action, null, null, "succeeded");
    }

    private Reply seal(AdminCall call) {
        barrier.seal();
        return Reply.ok(status());
    }

    private Reply rotate(AdminCall call) {
        int active = withBarrier(barrier::rotate);
        Map<String, Object> out = status();
        out.put("active_key_id", active);
        return Reply.ok(out);
    }

    private Reply rewrap(AdminCall call) {
        Rewrapper rewrapper = new Rewrapper(barrier, dataSource, clock);
        Map<String, Object> jobs = new LinkedHashMap<>();
        for (Rewrapper.Target t : List.of(Rewrapper.SUBJECT_KEYS, Rewrapper.SECRETS)) {
            Rewrapper.Result r = withBarrier(() -> rewrapper.run(t, 500, Long.MAX_VALUE));
            jobs.put(t.job(), Map.of("scanned", r.scanned(), "rewrapped", r.rewrapped(), "failed", r.failed(),
                    "complete", r.complete()));
        }
        return Reply.ok(Map.of("jobs", jobs));
    }

    private KeyProvider provider(Passphrase p) {
        if (!"passphrase".equals(KeyProviderConfig.providerName(barrierSection))) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(
                    "this server's barrier provider unseals itself; no passphrase is taken", "passphrase"));
        }
        return KeyProviderConfig.passphrase(barrierSection, p);
    }

    private Passphrase passphrase(AdminCall call) {
        ObjectNode body = call.body(4096, Set.of("passphrase"));
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
}
