package dev.bastion.policy;

import java.util.Map;

/**
 * What an action is performed on. Model resources are filled in by routing (alias, labels, backend, region, maximum
 * classification); admin resources name the thing administered ({@code keys}, {@code policy}, {@code audit}, …).
 * Policy rules match {@code resources:} globs against {@link #ref()} = {@code kind:name}.
 *
 * @param kind              {@code model}, or the admin area
 * @param name              model alias as routed, or the administered object's name ({@code *} for "all")
 * @param labels            free-form labels (model: {@code tier=gold}, {@code approved=true}, …)
 * @param backend           backend id the model is served by, or "" when not routed (yet)
 * @param region            region of that backend, or ""
 * @param maxClassification highest data classification the backend is approved for, or ""
 * @param attributes        further attributes declared in the policy's {@code attributes.resource} schema
 * @param known             false for a model alias the catalogue does not serve: the policy answers
 *                          {@code model_not_found} — after the credential's scope, so a scoped key learns nothing
 * @param approval          the model's registry lifecycle state ({@code approved}, {@code deployed}, {@code draft},
 *                          …, {@code evaluating} for a request of an evaluation run, {@code unregistered}), or ""
 * @param attested          the backend's hardware attestation verified and is in force (policy:
 *                          {@code resource.attested}); {@code tee} and {@code measurement} say what it proved
 */
public record Resource(String kind, String name, Map<String, String> labels, String backend, String region,
                       String maxClassification, Map<String, Object> attributes, boolean known, String approval,
                       boolean attested, String tee, String measurement) {

    public Resource {
        if (kind == null || kind.isEmpty() || kind.indexOf(':') >= 0) throw new IllegalArgumentException("bad kind");
        if (name == null) throw new IllegalArgumentException("name is null");
        labels = Map.copyOf(labels);
        backend = backend == null ? "" : backend;
        region = region == null ? "" : region;
        maxClassification = maxClassification == null ? "" : maxClassification;
        attributes = Map.copyOf(attributes);
        approval = approval == null ? "" : approval;
        tee = tee == null ? "" : tee;
        measurement = measurement == null ? "" : measurement;
    }

    public Resource(String kind, String name, Map<String, String> labels, String backend, String region,
                    String maxClassification, Map<String, Object> attributes, boolean known, String approval) {
        this(kind, name, labels, backend, region, maxClassification, attributes, known, approval, false, "", "");
    }

    public Resource(String kind, String name, Map<String, String> labels, String backend, String region,
                    String maxClassification, Map<String, Object> attributes, boolean known) {
        this(kind, name, labels, backend, region, maxClassification, attributes, known, "");
    }

    public Resource(String kind, String name, Map<String, String> labels, String backend, String region,
                    String maxClassification, Map<String, Object> attributes) {
        this(kind, name, labels, backend, region, maxClassification, attributes, true);
    }

    /** The same resource with the registry's verdict on it. */
    public Resource withApproval(String state) {
        return new Resource(kind, name, labels, backend, region, maxClassification, attributes, known, state,
                attested, tee, measurement);
    }

    /** This resource served by a backend whose attestation is in force ({@code tee}: sev-snp, tdx, nvidia-cc). */
    public Resource withAttestation(String teeId, String launchMeasurement) {
        return new Resource(kind, name, labels, backend, region, maxClassification, attributes, known, approval, true,
                teeId, launchMeasurement);
    }

    /** A model as routing resolved it. */
    public static Resource model(String alias, Map<String, String> labels, String backend, String region,
                                 String maxClassification) {
        return new Resource("model", alias, labels, backend, region, maxClassification, Map.of());
    }

    /** A model known only by alias (nothing routed yet; conditions on backend attributes see ""). */
    public static Resource model(String alias) { return model(alias, Map.of(), "", "", ""); }

    /** A model alias nothing serves: every decision on it is a denial ({@code model_not_allowed} or not found). */
    public static Resource unknownModel(String alias) {
        return new Resource("model", alias, Map.of(), "", "", "", Map.of(), false);
    }

    /** An administered object, e.g. {@code admin("keys", "*")}. */
    public static Resource admin(String kind, String name) {
        return new Resource(kind, name, Map.of(), "", "", "", Map.of());
    }

    /** {@code kind:name}, what {@code resources:} globs match. */
    public String ref() { return kind + ':' + name; }

    public boolean isModel() { return kind.equals("model"); }
}
