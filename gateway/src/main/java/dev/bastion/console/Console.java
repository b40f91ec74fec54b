package dev.bastion.console;

import dev.bastion.api.AdminRoutes;
import dev.bastion.audit.AdminLog;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConsoleSettings;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressHttp;
import dev.bastion.identity.Authenticator;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyStore;
import dev.bastion.store.Database;
import io.helidon.webserver.http.HttpRouting;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The web console at {@code /console/}: built in two steps by {@code Wiring} — {@link #create} before the request
 * chains (sessions join the authenticator; the OIDC provider is declared to the egress gate; the dashboards' stage
 * joins the model chain), {@link #register} with the routes.
 */
public final class Console {
    private final ConsoleSettings settings;
    private final BastionConfig config;
    private final Sessions sessions;
    private final Telemetry telemetry;
    private final OidcSignIn oidc;
    private final Authenticator authenticator;
    private final Barrier barrier;
    private final PolicyHolder policies;
    private final PolicyStore policyStore;
    private final Clock clock;

    private Console(BastionConfig config, Sessions sessions, Telemetry telemetry, OidcSignIn oidc,
                    Authenticator authenticator, Barrier barrier, PolicyHolder policies, PolicyStore policyStore,
                    Clock clock) {
        this.settings = config.console();
        this.config = config;
        this.sessions = sessions;
        this.telemetry = telemetry;
        this.oidc = oidc;
        this.authenticator = authenticator;
        this.barrier = barrier;
        this.policies = policies;
        this.policyStore = policyStore;
        this.clock = clock;
    }

    public static Console create(BastionConfig config, Database db, Barrier barrier, Authenticator authenticator,
                                 EgressGate egress, PolicyHolder policies, PolicyStore policyStore, Clock clock) {
        ConsoleSettings s = config.console();
        Sessions sessions = new Sessions(new SessionStore(BarrierStore.over(db, barrier, clock)), clock, new SecureRandom(), s.sessionTtl(),
                s.idleTimeout());
        OidcSignIn oidc = s.enabled() && s.oidc() != null ? new OidcSignIn(s.oidc(), new EgressHttp(egress)) : null;
        if (s.enabled()) authenticator.acceptSessions(sessions);
        return new Console(config, sessions, new Telemetry(clock), oidc, authenticator, barrier, policies, policyStore,
                clock);
    }

    /** Counts finished model requests for the dashboards (first in the model chain, next to metrics). */
    public Stage telemetryStage() { return new TelemetryStage(telemetry); }

    /**
     * @param logVerifierKey the audit log's own verifier key, shown when no {@code console.audit-verifier-key} is set
     */
    public void register(HttpRouting.Builder routing, AdminRoutes api, AdminLog adminLog, Supplier<String> logVerifierKey) {
        new DashboardApi(telemetry).register(api);
        new PolicyWorkbench(policies, policyStore, config.policy().builtIn() ? null : config.policy().file(), null, clock).register(api);
        if (!settings.enabled()) return;
        Assets.register(routing);
        new SignInRoutes(sessions, authenticator, barrier, oidc, adminLog, clock, config.server().scheme(),
                settings.publicUrl()).register(routing);
        String configured = settings.auditVerifierKey();
        new ConsolePages(policies, configured != null ? () -> configured : logVerifierKey, configured != null).register(api);
    }
}
