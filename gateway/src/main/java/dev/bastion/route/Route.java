package dev.bastion.route;

import dev.bastion.backend.ModelBackend;
import dev.bastion.policy.Resource;

import java.util.Map;

/**
 * Where one request goes: the alias the client used, the backend that serves it and the model name that backend
 * knows, plus the attributes policy and audit look at.
 */
public record Route(String alias, ModelBackend backend, String upstreamModel, Map<String, String> labels,
                    Map<String, String> backendAttributes) {

    public String backendName() { return backend.name(); }

    /**
     * The model as policy sees it: the canonical alias (catalog lookup is exact, so never a look-alike spelling),
     * its labels, and the backend's name, region and maximum classification ("" when the backend declares none,
     * which the default policy treats as approved for no data).
     */
    public Resource policyResource() {
        return Resource.model(alias, labels, backendName(), backendAttributes.getOrDefault("region", ""),
                backendAttributes.getOrDefault("max_classification", ""));
    }
}
