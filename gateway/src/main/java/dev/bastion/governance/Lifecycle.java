package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.audit.Actor;
import dev.bastion.audit.ModelEntry;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The lifecycle rules: {@code draft → evaluated} when an evaluation is attached; {@code evaluated → approved} by
 * people holding {@code models.approve} who did not submit the entry — two distinct approvers when the card says
 * {@code risk: high}, each approval bound to the artifact digest, the card digest and the evidence digests;
 * {@code approved → deployed}; {@code approved | deployed → retired}; anything not final {@code → revoked}.
 */
public final class Lifecycle {
    private final Registry registry;
    private final boolean requireSignature;

    public Lifecycle(Registry registry, boolean requireSignature) {
        this.registry = registry;
        this.requireSignature = requireSignature;
    }

    /** The entry after an approval, how many approvals its current card has and how many it needs. */
    public record Approved(RegistryEntry entry, int approvals, int needed, boolean propagated) {}

    public Approved approve(String id, Principal who, String overrideReason) {
        RegistryEntry e = registry.require(id);
        if (e.state() != LifecycleState.EVALUATED) {
            throw precondition(e.state() == LifecycleState.DRAFT
                    ? "the entry has no evaluation results yet: run an evaluation first"
                    : "an entry in state " + e.state().wire() + " cannot be approved");
        }
        if (who.id().equals(e.submittedBy())) {
            throw new ProblemException(ErrorCode.APPROVAL_NOT_ALLOWED.problem("the submitter of an entry may not approve it"));
        }
        CardDocument card = registry.cards().latest(id).orElseThrow();
        List<String> missing = card.card().missing();
        if (!missing.isEmpty()) throw precondition("the model card is incomplete: " + String.join(", ", missing));
        List<JsonNode> evaluations = card.evaluations();
        List<String> failed = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (JsonNode ev : evaluations) {
            evidence.add(ev.path("summary_digest").asText());
            if (ev.path("gate").isObject() && !ev.path("gate").path("passed").asBoolean()) failed.add(ev.path("suite").asText());
        }
        String reason = overrideReason == null || overrideReason.isBlank() ? null : overrideReason.strip();
        if (!failed.isEmpty() && reason == null) {
            throw precondition("evaluation gate failed (" + String.join(", ", failed)
                    + "); an approver may override it by recording a reason");
        }
        if (reason != null) evidence.add(Digests.ofText(reason));
        if (requireSignature && e.isLocal() && e.signature() == null) {
            throw precondition("a verified signature is required (governance.signing.require)");
        }
        evidence.addAll(Registry.evidence(e.signature()));
        if (e.kind() == RegistryEntry.Kind.ADAPTER) requireRoutableBase(e);
        int needed = card.risk().approversNeeded();
        int before = 0;
        for (CardStore.Approval a : registry.cards().approvals(id)) {
            if (!a.cardDigest().equals(card.digest()) || !java.util.Objects.equals(a.artifactDigest(), e.artifactDigest())) continue;
            if (a.approver().equals(who.id())) {
                throw new ProblemException(ErrorCode.APPROVAL_NOT_ALLOWED.problem("one approver counts once per card"));
            }
            before++;
        }
        int count = before + 1;
        LifecycleState next = count >= needed ? LifecycleState.APPROVED : LifecycleState.EVALUATED;
        Instant now = registry.clock().instant();
        RegistryEntry after = e.withState(next, now);
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), "model.approve", id, e.state().wire(),
                next == e.state() ? null : next.wire(), e.artifactDigest(), card.digest(), evidence);
        var done = registry.writer().commit(step, c -> {
            if (!registry.entries().updateState(c, e, after)) throw RegistryWriter.conflict();
            registry.cards().insert(c, new CardStore.Approval(id, who.id(), card.digest(), e.artifactDigest(), evidence,
                    reason, now));
            registry.entries().appendStep(c, id, "model.approve", e.state().wire(), next.wire(), who.id(), now, reason,
                    evidence);
            return after;
        });
        return new Approved(done.value(), count, needed, done.propagated());
    }

    public RegistryWriter.Committed<RegistryEntry> deploy(String id, Principal who) {
        RegistryEntry e = registry.require(id);
        if (e.kind() == RegistryEntry.Kind.ADAPTER) requireRoutableBase(e);
        return transition(e, who, "model.deploy", EnumSet.of(LifecycleState.APPROVED), LifecycleState.DEPLOYED, null);
    }

    public RegistryWriter.Committed<RegistryEntry> retire(String id, Principal who, String reason) {
        return transition(registry.require(id), who, "model.retire",
                EnumSet.of(LifecycleState.APPROVED, LifecycleState.DEPLOYED), LifecycleState.RETIRED, reason);
    }

    public RegistryWriter.Committed<RegistryEntry> revoke(String id, Principal who, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD.problem("a revocation records its reason", "reason"));
        }
        return transition(registry.require(id), who, "model.revoke", EnumSet.of(LifecycleState.DRAFT,
                LifecycleState.EVALUATED, LifecycleState.APPROVED, LifecycleState.DEPLOYED), LifecycleState.REVOKED, reason);
    }

    /**
     * Attaches a finished evaluation's summary: before approval it becomes part of a new card version (replacing an
     * earlier run of the same suite) and a draft becomes evaluated; after approval the card is frozen, so the run is
     * only kept with its results.
     */
    void attachEvaluation(String id, JsonNode summary, Principal who) {
        RegistryEntry e = registry.require(id);
        if (e.state() != LifecycleState.DRAFT && e.state() != LifecycleState.EVALUATED) return;
        CardDocument current = registry.cards().latest(id).orElseThrow();
        List<JsonNode> evaluations = new ArrayList<>();
        for (JsonNode ev : current.evaluations()) {
            if (!ev.path("suite").asText().equals(summary.path("suite").asText())) evaluations.add(ev);
        }
        evaluations.add(summary);
        Instant now = registry.clock().instant();
        RegistryEntry after = e.withState(LifecycleState.EVALUATED, now);
        CardDocument next = CardDocument.build(current.version() + 1, after, current.card(), evaluations);
        List<String> evidence = List.of(summary.path("summary_digest").asText());
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), "model.evaluate", id, e.state().wire(),
                e.state() == LifecycleState.DRAFT ? LifecycleState.EVALUATED.wire() : null, e.artifactDigest(),
                next.digest(), evidence);
        registry.writer().commit(step, c -> {
            if (!registry.entries().updateState(c, e, after)) throw RegistryWriter.conflict();
            registry.cards().insert(c, id, next, who.id(), now);
            registry.entries().appendStep(c, id, "model.evaluate", e.state().wire(), LifecycleState.EVALUATED.wire(),
                    who.id(), now, null, evidence);
            return after;
        });
    }

    private RegistryWriter.Committed<RegistryEntry> transition(RegistryEntry e, Principal who, String action,
                                                                Set<LifecycleState> from, LifecycleState to,
                                                                String reason) {
        if (!from.contains(e.state())) {
            throw new ProblemException(ErrorCode.INVALID_STATE.problem(
                    "an entry in state " + e.state().wire() + " cannot go to " + to.wire()));
        }
        Instant now = registry.clock().instant();
        RegistryEntry after = e.withState(to, now);
        String cardDigest = registry.cards().latest(e.id()).map(CardDocument::digest).orElse(null);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        List<String> evidence = why == null ? List.of() : List.of(Digests.ofText(why));
        ModelEntry step = new ModelEntry(null, now, Actor.of(who), action, e.id(), e.state().wire(), to.wire(),
                e.artifactDigest(), cardDigest, evidence);
        return registry.writer().commit(step, c -> {
            if (!registry.entries().updateState(c, e, after)) throw RegistryWriter.conflict();
            registry.entries().appendStep(c, e.id(), action, e.state().wire(), to.wire(), who.id(), now, why, evidence);
            return after;
        });
    }

    private void requireRoutableBase(RegistryEntry adapter) {
        RegistryEntry base = registry.find(adapter.baseId()).orElse(null);
        if (base == null || !base.state().routable()) {
            throw precondition("the adapter's base model " + adapter.baseId() + " is not approved");
        }
    }

    private static ProblemException precondition(String message) {
        return new ProblemException(ErrorCode.APPROVAL_PRECONDITION_FAILED.problem(message));
    }
}
