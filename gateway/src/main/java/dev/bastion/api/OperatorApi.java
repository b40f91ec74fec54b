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

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@code /bastion/v1/operator/*}: the barrier's life cycle. {@code status}, {@code init} and {@code unseal} are the
 * only routes that answer while sealed and need no API key — while sealed no key can be checked. Holding the
 * passphrase is the authority to unseal; {@code init} needs the one-time init token the server wrote to its data
 * directory ({@link InitToken}) and is accepted only from loopback. Both doors are rate-limited and every attempt is
 * audited as what it was ({@link OperatorAttempts}); unseal on an unsealed server is refused without looking at the
 * passphrase. {@code seal}, {@code rotate} and {@code rewrap} need {@code operator.manage} and are audited before
 * they act.
 */
public final class OperatorApi {
    static final String ACTION = "operator.manage";
    static final String INIT = "barrier.init";
    static final String UNSEAL = "barrier.unseal";

    private final Barrier barrier;
    private final Map<String, Object> barrierSection;
    private final javax.sql.DataSource dataSource;
    private final Clock clock;
    private final Supplier<Map<String, Object>> afterOpen;
    private final InitToken initToken;
    private final OperatorAttempts attempts;
    private final ReentrantLock unsealing = new ReentrantLock();
    /** Whoever holds the passphrase: no API key can be checked while the barrier is sealed. */
    private static final dev.bastion.audit.Actor OPERATOR =
            dev.bastion.audit.Actor.of("operator:passphrase", List.of(), "passphrase");
    /** Whoever could read the init token from the data directory: the machine's operator. */
    private static final dev.bastion.audit.Actor INITIALISER =
            dev.bastion.audit.Actor.of("operator:init-token", List.of(), "init_token");

    /**
     * @param afterOpen run after the barrier opens for the first time (issues the bootstrap admin key); returns
     *                  extra fields for the {@code init} answer
     */
    public OperatorApi(Barrier barrier, Map<String, Object> barrierSection, javax.sql.DataSource dataSource,
                       Clock clock, Supplier<Map<String, Object>> afterOpen, InitToken initToken,
                       OperatorAttempts attempts) {
        this.initToken = initToken;
        this.attempts = attempts;
        this.barrier = barrier;
        this.barrierSection = barrierSection;
        this.dataSource = dataSource;
        this.clock = clock;
        this.afterOpen = afterOpen;
    }

    public void register(AdminRoutes routes) {
        routes.get("/bastion/v1/operator/status", Access.withoutCredentials("barrier.status"), call -> Reply.ok(status()));
        routes.post("/bastion/v1/operator/init", Access.withoutCredentials(INIT), call -> attempt(INIT, call, this::init));
        routes.post("/bastion/v1/operator/unseal", Access.withoutCredentials(UNSEAL),
                call -> attempt(UNSEAL, call, this::unseal));
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

    /** An attempt at a door without an API key: who acted and the answer, sent once the attempt is on record. */
    private interface Door {
        Opened open(AdminCall call);
    }

    private record Opened(dev.bastion.audit.Actor who, Map<String, Object> answer) {}

    private Reply attempt(String action, AdminCall call, Door door) {
        String client = call.exchange().clientAddress();
        attempts.admit(action, client);
        Opened opened;
        try {
            opened = door.open(call);
        } catch (ProblemException e) {
            ErrorCode code = e.problem().code();
            String outcome = code == ErrorCode.UNSEAL_FAILED || code == ErrorCode.INVALID_INIT_TOKEN ? "failed" : "refused";
            attempts.record(action, OperatorAttempts.ANONYMOUS, client, outcome, "error:" + code.code());
            throw e;
        } catch (RuntimeException e) {
            attempts.record(action, OperatorAttempts.ANONYMOUS, client, "failed", "error:internal_error");
            throw e;
        }
        attempts.record(action, opened.who(), client, "succeeded", null);
        return Reply.ok(opened.answer());
    }

    private Opened init(AdminCall call) {
        if (!call.fromLoopback()) {
            throw new ProblemException(ErrorCode.PERMISSION_DENIED.problem("init is accepted only from loopback"));
        }
        ObjectNode body = call.body(4096, Set.of("passphrase", "init_token"));
        if (barrier.status().state() != Barrier.State.UNINITIALIZED) {
            throw new ProblemException(ErrorCode.INVALID_STATE.problem("the barrier is already initialised"));
        }
        JsonNode token = body.get("init_token");
        if (token == null || !token.isTextual() || !initToken.matches(token.asText())) {
            throw new ProblemException(ErrorCode.INVALID_INIT_TOKEN.problem("init needs the one-time token in "
                    + InitToken.FILE_NAME + " in the server's data directory ('bastion operator init' reads it)",
                    "init_token"));
        }
        try (Passphrase p = passphrase(body)) {
            withBarrier(() -> barrier.initialize(provider(p)));
        }
        initToken.spend();
        Map<String, Object> out = status();
        out.putAll(afterOpen.get());
        return new Opened(INITIALISER, out);
    }

    private Opened unseal(AdminCall call) {
        ObjectNode body = call.body(4096, Set.of("passphrase"));
        try (Passphrase p = passphrase(body)) {
            unsealing.lock(); // one attempt at a time: each costs a memory-hard key derivation
            try {
                // an open barrier is not unsealed again, and the passphrase is not even looked at: no oracle
                if (barrier.status().state() == Barrier.State.UNSEALED) {
                    throw new ProblemException(ErrorCode.INVALID_STATE.problem("the barrier is already unsealed"));
                }
                withBarrier(() -> barrier.unseal(provider(p)));
            } finally {
                unsealing.unlock();
            }
        }
        try {
            afterOpen.get();
        } catch (RuntimeException e) {
            // opened, but the server cannot run on what it found (e.g. an audit log that was rolled back): close again
            barrier.seal();
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the barrier opened but the audit log "
                    + "cannot be started (see the server log); the barrier was sealed again"));
        }
        return new Opened(OPERATOR, status());
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
        for (Rewrapper.Target t : List.of(Rewrapper.SUBJECT_KEYS, Rewrapper.RECORDS)) {
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

    private static Passphrase passphrase(ObjectNode body) {
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
