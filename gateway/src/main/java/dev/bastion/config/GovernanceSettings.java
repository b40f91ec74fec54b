package dev.bastion.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The model registry ({@code governance:}).
 *
 * @param signingKeys              PEM public keys trusted to sign model artifacts (model-signing bundles)
 * @param signingRoots             PEM root certificates trusted to issue signing certificates
 * @param requireSignature         approval of a local artifact needs a verified signature
 * @param modelDirs                directories the registry API may register model files from
 * @param datasetDirs              directories the registry API may register datasets from
 * @param pullHosts                hosts {@code bastion models pull} may download from (HTTPS only)
 * @param insecureServeUnregistered models with no registry entry route anyway (entries that exist are still
 *                                 enforced); a migration aid, logged at start
 * @param identityRecheck          how often backends are asked again what their models are (expected identities)
 */
public record GovernanceSettings(List<Path> signingKeys, List<Path> signingRoots, boolean requireSignature,
                                 List<Path> modelDirs, List<Path> datasetDirs, List<String> pullHosts,
                                 boolean insecureServeUnregistered, java.time.Duration identityRecheck) {
    public GovernanceSettings {
        signingKeys = List.copyOf(signingKeys);
        signingRoots = List.copyOf(signingRoots);
        modelDirs = List.copyOf(modelDirs);
        datasetDirs = List.copyOf(datasetDirs);
        pullHosts = List.copyOf(pullHosts);
    }
}
