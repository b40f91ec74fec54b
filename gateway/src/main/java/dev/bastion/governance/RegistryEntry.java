package dev.bastion.governance;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One registry entry: a model (or a LoRA adapter, which is a model served on top of its base) that may route only
 * once approved. A local entry pins an artifact by SHA-256; a remote entry names a backend, the model name that
 * backend knows, and the identity the operator expects it to report.
 *
 * @param baseId    for adapters, the entry of the base model
 * @param datasetId for adapters, the dataset it was trained on (may be null)
 * @param signature the result of verifying the artifact's signature bundle, or null when none was given
 */
public record RegistryEntry(String id, Kind kind, String name, LifecycleState state, Artifact artifact, Remote remote,
                            String licence, String sourceUrl, String baseId, String datasetId,
                            SignatureCheck signature, String submittedBy, Instant createdAt, Instant updatedAt,
                            long rowVersion) {

    public enum Kind { MODEL, ADAPTER }

    /**
     * A local file.
     *
     * @param format        {@code gguf}
     * @param contextLength trained context length, or null
     */
    public record Artifact(String sha256, long sizeBytes, String format, Path path, String architecture,
                           String quantization, Long contextLength, String chatTemplate, String tokenizer) {}

    /**
     * A model served by a declared backend.
     *
     * @param expectedIdentity what the operator expects the backend to report for it (a digest or revision), or null
     */
    public record Remote(String backend, String upstreamModel, String expectedIdentity) {}

    public boolean isLocal() { return artifact != null; }

    /**
     * The key routes are matched on: {@code sha256:<hex>} for local models, {@code remote:<backend>/<model>};
     * an adapter's key also names its base's digest ({@link Bindings#adapter}).
     *
     * @param baseSha256 the base entry's digest, for adapters (else ignored)
     */
    String bindingKey(String baseSha256) {
        if (!isLocal()) return Bindings.remote(remote.backend(), remote.upstreamModel());
        return kind == Kind.ADAPTER ? Bindings.adapter(artifact.sha256(), baseSha256) : Bindings.local(artifact.sha256());
    }

    /** {@code sha256:<hex>} of a local artifact, the expected identity of a remote one, or null. */
    public String artifactDigest() {
        if (isLocal()) return "sha256:" + artifact.sha256();
        return remote.expectedIdentity();
    }

    RegistryEntry withState(LifecycleState next, Instant at) {
        return new RegistryEntry(id, kind, name, next, artifact, remote, licence, sourceUrl, baseId, datasetId,
                signature, submittedBy, createdAt, at, rowVersion + 1);
    }

    RegistryEntry withMetadata(String newLicence, String newSourceUrl, String newDatasetId, Instant at) {
        return new RegistryEntry(id, kind, name, state, artifact, remote, newLicence, newSourceUrl, baseId, newDatasetId,
                signature, submittedBy, createdAt, at, rowVersion + 1);
    }

    RegistryEntry withSignature(SignatureCheck check, Instant at) {
        return new RegistryEntry(id, kind, name, state, artifact, remote, licence, sourceUrl, baseId, datasetId,
                check, submittedBy, createdAt, at, rowVersion + 1);
    }
}
