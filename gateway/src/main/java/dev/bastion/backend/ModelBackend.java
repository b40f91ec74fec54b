package dev.bastion.backend;

import dev.bastion.pipeline.ModelRequest;

/**
 * A model server Bastion can call. Implementations translate Bastion's OpenAI-shaped request into the backend's
 * protocol and its answer back into OpenAI shape, so everything after the backend sees one format.
 */
public interface ModelBackend extends AutoCloseable {

    String name();

    /**
     * Builds the exact call for the request with {@code upstreamModel} in place of the client's alias — the bytes
     * {@link #send} will send — without any I/O.
     */
    UpstreamRequest prepare(ModelRequest request, String upstreamModel);

    /**
     * Sends a prepared call, byte for byte.
     *
     * @throws dev.bastion.pipeline.ProblemException with a 4xx/5xx code when the call fails or the backend refuses
     */
    BackendAnswer send(UpstreamRequest prepared);

    /** {@link #prepare} then {@link #send}. */
    default BackendAnswer call(ModelRequest request, String upstreamModel) {
        return send(prepare(request, upstreamModel));
    }

    /** A cheap liveness probe for readiness checks; never throws. */
    boolean probe();

    /**
     * What the server reports about the models it serves: model name → identity strings (revision, digest, the
     * path it loaded), normalised by {@link ReportedIdentities#normalise}; null when it could not be asked or does
     * not say. Never throws. The registry checks remote models' expected identity against it.
     */
    default java.util.Map<String, java.util.Set<String>> reportedIdentities() { return null; }

    @Override
    void close();
}
