package dev.bastion.audit;

/**
 * Which model served (or was asked for): the alias the client used, the model name sent upstream, the backend id,
 * the digest of the model artifact ({@code sha256:…}, when the registry knows it) and the digest of the attestation
 * evidence of the backend that served it ({@code sha256:…}, for attested backends). Only the alias is required (a
 * refused request never reached routing).
 */
public record ModelRoute(String alias, String upstreamModel, String backend, String artifactDigest,
                         String attestationDigest) {
    /**
     * What the log says when the caller named a model that does not exist: the name itself is never stored (a token
     * pasted as a model name would otherwise be in the immutable log for good). Aliases cannot contain {@code ?}.
     */
    public static final ModelRoute UNKNOWN = new ModelRoute("?unknown", null, null, null);

    public ModelRoute {
        alias = Fields.token("model.alias", alias);
        upstreamModel = Fields.optionalToken("model.upstream", upstreamModel);
        backend = Fields.optionalToken("model.backend", backend);
        artifactDigest = Fields.optionalToken("model.artifact_digest", artifactDigest);
        attestationDigest = Fields.optionalToken("model.attestation", attestationDigest);
    }

    public ModelRoute(String alias, String upstreamModel, String backend, String artifactDigest) {
        this(alias, upstreamModel, backend, artifactDigest, null);
    }

    public ModelRoute(String alias, String upstreamModel, String backend) {
        this(alias, upstreamModel, backend, null);
    }

    public static ModelRoute alias(String alias) {
        return new ModelRoute(alias, null, null, null);
    }
}
