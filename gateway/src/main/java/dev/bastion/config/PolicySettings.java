package dev.bastion.config;

import java.nio.file.Path;

/**
 * Which policy decides ({@code policy:} in {@code bastion.yaml}).
 *
 * @param file  the policy YAML file, or null for the shipped default policy ({@code policy/default.yaml} on the
 *              classpath, read directly: it cannot change while the server runs)
 * @param watch reload the file whenever it changes on disk (besides {@code POST /bastion/v1/policy/reload})
 */
public record PolicySettings(Path file, boolean watch) {
    /** The shipped default policy. */
    public static final PolicySettings BUILT_IN = new PolicySettings(null, false);

    public boolean builtIn() { return file == null; }
}
