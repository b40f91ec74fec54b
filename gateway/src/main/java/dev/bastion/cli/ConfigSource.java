package dev.bastion.cli;

import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where commands find their configuration: {@code --config FILE}, else {@code $BASTION_CONFIG}, else
 * {@code ./bastion.yaml} when present, else the embedded defaults. {@code BASTION_*} variables override any of them.
 */
public final class ConfigSource {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "bastion.yaml to use")
    Path file;

    public BastionConfig load() {
        return load(System.getenv());
    }

    BastionConfig load(Map<String, String> env) {
        return ConfigLoader.load(resolve(env), env);
    }

    Path resolve(Map<String, String> env) {
        if (file != null) return file;
        String fromEnv = env.get("BASTION_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        Path local = Path.of("bastion.yaml");
        return Files.isRegularFile(local) ? local : null;
    }
}
