package dev.bastion.cli;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.SecretStore;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.config.BastionConfig;
import dev.bastion.identity.ApiKeyRecord;
import dev.bastion.identity.ApiKeyService;
import dev.bastion.store.Database;
import dev.bastion.store.ServerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bastion keys create|list|revoke}: works on the store directly, so it also works while the server runs
 * (a revocation reaches a running server's cache within seconds).
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    static <T> T withKeys(ConfigSource source, java.util.function.Function<ApiKeyService, T> action) {
        BastionConfig cfg = source.load();
        try (Database db = Database.open(cfg.store())) {
            SecureRandom random = new SecureRandom();
            Barrier barrier = OfflineBarrier.open(db, cfg);
            try {
                ServerSecrets secrets = new ServerSecrets(SecretStore.over(db, barrier), random);
                return action.apply(new ApiKeyService(db, new ServerState(db, random),
                        secrets.source(ServerSecrets.API_KEY_HMAC, 32), Clock.systemUTC(), random));
            } finally {
                barrier.seal();
            }
        }
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
            var created = withKeys(config, keys -> keys.create(name, wanted,
                    Map.of(), models == null ? List.of() : models, expires, "cli"));
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
            List<ApiKeyRecord> all = withKeys(config, ApiKeyService::list);
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
            boolean exists = withKeys(config, keys -> keys.find(id).isPresent());
            if (!exists) {
                spec.commandLine().getErr().println("no key with id " + id);
                return 2;
            }
            boolean changed = withKeys(config, keys -> keys.revoke(id));
            spec.commandLine().getOut().println(changed ? "revoked " + id : id + " was already revoked");
            return 0;
        }
    }
}
