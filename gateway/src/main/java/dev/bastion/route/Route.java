package dev.bastion.route;

import dev.bastion.backend.ModelBackend;

import java.util.Map;

/**
 * Where one request goes: the alias the client used, the backend that serves it and the model name that backend
 * knows, plus the attributes policy and audit look at.
 */
public record Route(String alias, ModelBackend backend, String upstreamModel, Map<String, String> labels,
                    Map<String, String> backendAttributes) {

    public String backendName() { return backend.name(); }
}
