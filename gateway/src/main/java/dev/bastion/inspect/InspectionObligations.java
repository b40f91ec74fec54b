package dev.bastion.inspect;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What policy decided about personal data for one exchange. The policy stage fills it from its obligations; this
 * package does not depend on policy, policy only needs these names.
 *
 * @param actions        action per entity type on request text
 * @param defaultAction  action for types not in {@code actions}
 * @param outputMask     types masked in the model's answer before it leaves
 * @param reidentify     whether pseudonyms in the answer are restored to their originals for this principal
 * @param injection      what a PROMPT_INJECTION finding does: flagged (recorded) from {@code injectionThreshold},
 *                       refused under {@code BLOCK} only from {@code injectionBlockThreshold}
 * @param injectionThreshold score from which an injection finding is flagged
 * @param injectionBlockThreshold score from which {@code BLOCK} refuses the request; a detector calibrated on one
 *                       public set is not trusted to refuse ordinary traffic at its flagging point
 * @param minScore       findings below this score are ignored (all types but PROMPT_INJECTION)
 * @param injectionUntrustedBlockThreshold score from which {@code BLOCK} refuses when it comes from untrusted text
 *                       (tool results, retrieved documents, quoted e-mail: data that should hold no instruction at
 *                       all, so a lower bar costs little)
 */
public record InspectionObligations(Map<EntityType, Action> actions, Action defaultAction, Set<EntityType> outputMask,
                                   boolean reidentify, InjectionAction injection, double injectionThreshold,
                                   double injectionBlockThreshold, double minScore,
                                   double injectionUntrustedBlockThreshold) {

    public enum InjectionAction { IGNORE, FLAG, BLOCK }

    public InspectionObligations {
        actions = actions.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(actions));
        outputMask = outputMask.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(outputMask));
        if (defaultAction == null || injection == null) throw new IllegalArgumentException("missing action");
        if (injectionBlockThreshold < injectionThreshold) throw new IllegalArgumentException("block below flag threshold");
        if (injectionUntrustedBlockThreshold > injectionBlockThreshold) {
            throw new IllegalArgumentException("untrusted-text threshold above the block threshold");
        }
    }

    /** Untrusted text refused at the same threshold as any other (no stricter bar). */
    public InspectionObligations(Map<EntityType, Action> actions, Action defaultAction, Set<EntityType> outputMask,
                                 boolean reidentify, InjectionAction injection, double injectionThreshold,
                                 double injectionBlockThreshold, double minScore) {
        this(actions, defaultAction, outputMask, reidentify, injection, injectionThreshold, injectionBlockThreshold,
                minScore, injectionBlockThreshold);
    }

    /** Nothing is changed or blocked; injection is flagged. For dry runs and tests. */
    public static final InspectionObligations ALLOW_ALL = new InspectionObligations(Map.of(), Action.ALLOW, Set.of(),
            false, InjectionAction.FLAG, 0.5, 0.5, 0.5);

    /** A safe default when policy says nothing more specific: mask everything detected, in and out. */
    public static final InspectionObligations MASK_ALL = new InspectionObligations(Map.of(), Action.MASK,
            EnumSet.complementOf(EnumSet.of(EntityType.PROMPT_INJECTION)), false, InjectionAction.FLAG, 0.5, 0.5, 0.5);

    public Action actionFor(EntityType type) {
        return actions.getOrDefault(type, defaultAction);
    }
}
