package dev.bastion.cli;

import dev.bastion.api.RoleGrants;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.config.BastionConfig;
import dev.bastion.identity.ApiKeyRecord;
import dev.bastion.identity.ApiKeyService;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.policy.Authorization;
import dev.bastion.store.ServerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bastion keys create|list|revoke}: works on the store directly, so it also works while the server runs
 * (a revocation reaches a running server's cache within seconds) — but as an administrative action like any other:
 * through {@link OfflineAdmin}, decided by the policy ({@code keys.manage}) and recorded in the audit log before and
 * after it changes anything.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    /** Runs {@code action} on the key service as the local operator, under policy and audit. */
    static <T> T withKeys(ConfigSource source, String event, String target, KeyAction<T> action) {
        BastionConfig cfg = source.load();
        try (OfflineAdmin admin = OfflineAdmin.open(cfg)) {
            ApiKeyService keys = new ApiKeyService(admin.db(), new ServerState(admin.db(), new SecureRandom()),
                    admin.secrets().source(ServerSecrets.API_KEY_HMAC, 32), admin.clock(), new SecureRandom());
            // the same policy action the server's key API asks for
            RoleGrants grants = new RoleGrants(admin.policies());
            return admin.run("keys.manage", event, target, exchange -> action.apply(keys, exchange, grants));
        }
    }

    /** What a key command does inside the chain: with the key service, its exchange and the role-grant check. */
    @FunctionalInterface
    interface KeyAction<T> {
        T apply(ApiKeyService keys, Exchange exchange, RoleGrants grants);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is shown once.")
    static final class Create implements Callable<Integer> {
        @Mixin ConfigSource config;
        @Spec CommandSpec spec;
        @Option(names = "--name", required = true, description = "what the key is for") String name;
        @Option(names = "--role", split = ",", description = "roles (default: developer)") List<String> roles;
        @Option(names = "--model", split = ",", description = "model aliases the key may use (default: any)")
        List<String> models;
        @Option(names = "--expires-in-days", description = "expiry, in days from now") Integer days;

        @Override
        public Integer call() {
            List<String> wanted = roles == null ? List.of("developer") : roles;
            java.util.Set<String> known = policyRoles(config.load());
            for (String r : wanted) {
                if (!known.contains(r)) {
                    spec.commandLine().getErr().println("role '" + r + "' is not defined in the policy in force "
                            + "(known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                    return 2;
                }
            }
            Instant expires = days == null ? null : Instant.now().plus(Duration.ofDays(days));
            var created = withKeys(config, "key.create", null, (keys, exchange, grants) -> {
                // the same check as the server's key API: the operator must be allowed to grant each role
                grants.check(exchange.require(Principal.class),
                        Authorization.facts(exchange, "", Map.of()), wanted);
                var c = keys.create(name, wanted, Map.of(), models == null ? List.of() : models, expires,
                        exchange.require(Principal.class).id());
                exchange.put(AdminOutcome.class, AdminOutcome.target("key:" + c.record().keyId()));
                return c;
            });
            PrintWriter out = spec.commandLine().getOut();
            out.println("id:   " + created.record().keyId());
            out.println("key:  " + created.key());
            out.println("The key is shown only now; Bastion keeps only a keyed hash of it.");
            return 0;
        }
    }

    /**
     * The roles of the configured policy. The operator on the host may grant any of them (that is how auditors and
     * model stewards get keys under the shipped policy), but not a role the policy does not know.
     */
    static java.util.Set<String> policyRoles(BastionConfig cfg) {
        if (cfg.policy().builtIn()) return dev.bastion.policy.Policy.loadDefault().roles();
        try {
            return dev.bastion.policy.Policy.load(cfg.policy().file()).roles();
        } catch (java.io.IOException | dev.bastion.policy.PolicyCompileException e) {
            throw new IllegalStateException("policy file " + cfg.policy().file() + " cannot be loaded: "
                    + e.getClass().getSimpleName());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin ConfigSource config;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            List<ApiKeyRecord> all = withKeys(config, null, null, (keys, exchange, grants) -> keys.list());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-12s  %-24s  %-20s  %-20s  %s%n", "ID", "NAME", "ROLES", "EXPIRES", "STATE");
            for (ApiKeyRecord r : all) {
                String state = r.revoked() ? "revoked" : r.expiredAt(Instant.now()) ? "expired" : "active";
                out.printf("%-12s  %-24s  %-20s  %-20s  %s%n", r.keyId(), r.name(), String.join(",", r.roles()),
                        r.expiresAt() == null ? "never" : r.expiresAt().toString(), state);
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
    static final class Revoke implements Callable<Integer> {
        @Mixin ConfigSource config;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            if (!id.matches("[a-z2-7]{12}")) {
                spec.commandLine().getErr().println("no key with id " + id);
                return 2;
            }
            Boolean changed = withKeys(config, "key.revoke", "key:" + id, (keys, exchange, grants) -> {
                if (keys.find(id).isEmpty()) {
                    exchange.put(AdminOutcome.class, AdminOutcome.of("rejected"));
                    return null;
                }
                return keys.revoke(id);
            });
            if (changed == null) {
                spec.commandLine().getErr().println("no key with id " + id);
                return 2;
            }
            spec.commandLine().getOut().println(changed ? "revoked " + id : id + " was already revoked");
            return 0;
        }
    }
}
