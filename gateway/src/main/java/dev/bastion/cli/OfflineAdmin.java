package dev.bastion.cli;

import dev.bastion.api.Access;
import dev.bastion.audit.AdminAuditStage;
import dev.bastion.audit.AdminLog;
import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditFacts;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.RefusalAuditStage;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.SecretStore;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.config.BastionConfig;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.policy.AuthorizeStage;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.Resource;
import dev.bastion.server.ExchangeAuditFacts;
import dev.bastion.store.Database;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Administration from the command line, under the same policy and audit as the server's admin routes: the operator
 * proves it holds the barrier's key by opening it, acts as the local principal {@code local:<user>} (role
 * {@code operator}, auth {@code local}), and each action runs through the same {@link AuthorizeStage},
 * {@link AdminAuditStage} and {@link RefusalAuditStage} the server's chain runs — policy decides, a durable
 * {@code requested} record precedes the change and its outcome follows, a refusal is recorded. So no path writes
 * keys unrecorded ({@code bastion models} talks to the running server's API). Works whether or not the server runs (the audit log takes appends from several
 * processes); the server signs the new entries into its next checkpoint.
 */
final class OfflineAdmin implements AutoCloseable {
    private final Database db;
    private final boolean ownsDb;
    private final Barrier barrier;
    private final ServerSecrets secrets;
    private final AuditLedger ledger;
    private final PolicyHolder policies;
    private final Clock clock;
    private final Principal operator;

    private OfflineAdmin(Database db, boolean ownsDb, Barrier barrier, ServerSecrets secrets, AuditLedger ledger,
                         PolicyHolder policies, Clock clock) {
        this.db = db;
        this.ownsDb = ownsDb;
        this.barrier = barrier;
        this.secrets = secrets;
        this.ledger = ledger;
        this.policies = policies;
        this.clock = clock;
        this.operator = new Principal("local:" + System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_"),
                Principal.Type.USER, Set.of("operator"), Map.of(), Principal.AuthMethod.LOCAL, Set.of());
    }

    /** Opens store, barrier (asking for the passphrase if needed), the audit log and the configured policy. */
    static OfflineAdmin open(BastionConfig cfg) {
        Database db = Database.open(cfg.store());
        try {
            Barrier barrier = OfflineBarrier.open(db, cfg);
            return over(db, true, barrier, cfg.audit().origin(), policy(cfg), Clock.systemUTC());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Over an open store and barrier (tests; the caller keeps the store). */
    static OfflineAdmin over(Database db, Barrier barrier, String origin, PolicyHolder policies, Clock clock) {
        return over(db, false, barrier, origin, policies, clock);
    }

    private static OfflineAdmin over(Database db, boolean ownsDb, Barrier barrier, String origin,
                                     PolicyHolder policies, Clock clock) {
        SecureRandom random = new SecureRandom();
        ServerSecrets secrets = new ServerSecrets(SecretStore.over(db, barrier), random);
        try {
            // the running server integrates and signs; this process only appends
            AuditLedger ledger = AuditLedger.open(db, AuditConfig.defaults(origin).withIntegrate(false),
                    generate -> secrets.source(ServerSecrets.AUDIT_SIGNING_KEY, 32).get(), clock);
            return new OfflineAdmin(db, ownsDb, barrier, secrets, ledger, policies, clock);
        } catch (AuditUnavailableException e) {
            barrier.seal();
            throw new IllegalStateException("the audit log cannot be opened, so nothing is changed: " + e.getMessage(), e);
        }
    }

    private static PolicyHolder policy(BastionConfig cfg) {
        if (cfg.policy().builtIn()) return PolicyHolder.of(Policy.loadDefault());
        try {
            return PolicyHolder.open(cfg.policy().file());
        } catch (IOException | PolicyCompileException e) {
            throw new IllegalStateException("policy file " + cfg.policy().file() + " cannot be used: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    Database db() { return db; }

    ServerSecrets secrets() { return secrets; }

    Clock clock() { return clock; }

    /** The policy in force for this command (the configured file, else the shipped default). */
    PolicyHolder policies() { return policies; }

    /** Who acts: the holder of the barrier's key at this machine. */
    Principal operator() { return operator; }

    /**
     * Runs {@code act} if policy allows {@code action} on its area; with an {@code event}, between a durable
     * {@code requested} record and its outcome. {@code act} may leave an {@code AdminOutcome} fact.
     *
     * @throws ProblemException when refused (the refusal is recorded) or when {@code act} said no
     */
    <T> T run(String action, String event, String target, Function<Exchange, T> act) {
        Object[] result = new Object[1];
        AuditFacts facts = ExchangeAuditFacts.withoutModels(policies::current);
        var stages = new java.util.ArrayList<dev.bastion.pipeline.Stage>(List.of(
                new RefusalAuditStage(() -> ledger, facts, clock), new AuthorizeStage(policies)));
        if (event != null) stages.add(new AdminAuditStage(new AdminLog(() -> ledger, clock), facts, event, e -> target));
        Pipeline chain = new Pipeline(stages, (exchange, filter, sink) -> {
            try {
                result[0] = act.apply(exchange);
                return new Completion(200, null, Completion.Result.OK, -1, -1, System.nanoTime());
            } catch (ProblemException e) {
                sink.sendProblem(e.problem());
                return Completion.denied(e.problem(), System.nanoTime());
            }
        });
        Exchange exchange = new Exchange("req_cli_" + UUID.randomUUID().toString().replace("-", ""), clock.instant(),
                System.nanoTime(), null, RequestHeaders.NONE, null, action, max -> new byte[0]);
        exchange.put(Principal.class, operator);
        exchange.put(Resource.class, Access.area(Authorization.action(action)));
        Refusal refusal = new Refusal();
        chain.run(exchange, refusal);
        if (refusal.problem != null) throw new ProblemException(refusal.problem);
        @SuppressWarnings("unchecked") T t = (T) result[0];
        return t;
    }

    @Override
    public void close() {
        ledger.close(); // writes the queued outcome records
        barrier.seal();
        policies.close();
        if (ownsDb) db.close();
    }

    /** Keeps the problem a stage or the action answered with; a command line has no HTTP answer. */
    private static final class Refusal implements ResponseSink {
        Problem problem;

        @Override
        public void sendJson(int status, byte[] body) { }

        @Override
        public void send(int status, String contentType, byte[] body) { }

        @Override
        public void sendProblem(Problem p) { problem = p; }

        @Override
        public OutputStream openEventStream() { throw new UnsupportedOperationException(); }

        @Override
        public boolean committed() { return problem != null; }
    }
}
