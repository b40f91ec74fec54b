package dev.bastion.policy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything a principal can ask Bastion to do. A policy file may only name these (or a {@code prefix.*} pattern that
 * covers at least one of them); anything else is a compile error, so a typo can never silently grant or deny nothing.
 */
public enum Action {
    MODEL_INVOKE("model.invoke"),
    MODEL_EMBED("model.embed"),
    MODEL_LIST("model.list"),
    KEYS_MANAGE("keys.manage"),
    /** Giving a role to a new credential; the resource is {@code role:<name>}. */
    KEYS_GRANT("keys.grant"),
    POLICY_READ("policy.read"),
    POLICY_MANAGE("policy.manage"),
    POLICY_SIMULATE("policy.simulate"),
    AUDIT_READ("audit.read"),
    AUDIT_CONTENT_READ("audit.content.read"),
    MODELS_APPROVE("models.approve"),
    MODELS_MANAGE("models.manage"),
    /** Reading the model registry: entries, cards, evaluations, approvals, history. */
    MODELS_READ("models.read"),
    BACKENDS_MANAGE("backends.manage"),
    INSPECT_RUN("inspect.run"),
    CONFIG_READ("config.read"),
    /** Reading Bastion's own operational figures (the console's dashboards). */
    METRICS_READ("metrics.read"),
    OPERATOR_MANAGE("operator.manage"),
    /** Reading operational answers with names in them ({@code /metrics}, the backends of {@code /readyz}). */
    OPS_READ("ops.read"),
    CONSENT_READ("consent.read"),
    CONSENT_MANAGE("consent.manage"),
    SUBJECTS_EXPORT("subjects.export"),
    SUBJECTS_ERASE("subjects.erase"),
    AUDIT_SUBJECT_READ("audit.subject.read"),
    RETENTION_MANAGE("retention.manage"),
    COMPLIANCE_READ("compliance.read"),
    /** Reading document collections' settings and their documents' metadata (never chunk text). */
    COLLECTIONS_READ("collections.read"),
    /** Creating, changing and deleting document collections. */
    COLLECTIONS_MANAGE("collections.manage"),
    /** Adding and deleting documents of a collection (ingest). */
    DOCUMENTS_MANAGE("documents.manage"),
    /** Retrieving document text from a collection (search, or as context of a model request). */
    DOCUMENTS_RETRIEVE("documents.retrieve");

    private static final Map<String, Action> BY_WIRE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(Action::wire, Function.identity()));

    private final String wire;

    Action(String wire) { this.wire = wire; }

    /** The name used in policy files, audit records and CEL ({@code action == "model.invoke"}). */
    public String wire() { return wire; }

    /** Exact lookup by wire name; no case folding or trimming, so {@code Model.Invoke} is not an action. */
    public static Optional<Action> parse(String wire) { return Optional.ofNullable(BY_WIRE.get(wire)); }

    @Override
    public String toString() { return wire; }
}
