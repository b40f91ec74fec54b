package dev.bastion.server;

import dev.bastion.inspect.Action;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.InspectionObligations;
import dev.bastion.pipeline.Exchange;
import dev.bastion.policy.Decision;
import dev.bastion.policy.EntityAction;
import dev.bastion.policy.Obligations;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The bridge from policy obligations (entity types by name) to what inspection applies. Types policy names are
 * transformed accordingly in the request and never leave in clear in the answer; types it does not name pass.
 * Without a decision on the exchange nothing may pass unexamined: everything detected is masked (fail closed).
 */
final class InspectionPolicy {
    private static final Logger LOG = Logger.getLogger(InspectionPolicy.class.getName());
    /** Flagging point: the injection detector's calibrated operating point (see docs/inspect.md). */
    static final double INJECTION_THRESHOLD = 0.5;
    /**
     * Refusing point under a {@code block} obligation. Between the two a request passes and its accept record says
     * PROMPT_INJECTION: ordinary prompts (a patient note, a short instruction) score 0.5–0.8 often enough that
     * refusing them would make the guard unusable, while overrides and jailbreaks mostly score near 1.
     */
    static final double INJECTION_BLOCK_THRESHOLD = 0.8;
    static final double MIN_SCORE = 0.5;
    /**
     * Refusing point under a {@code block} obligation for untrusted text (tool results, retrieved documents, quoted
     * e-mail), scored on its own: data should hold no instruction, so the bar is lower. Chosen on development data
     * (docs/inspect.md: benign passages and e-mails refused at this point ≤ 1 %).
     */
    static final double INJECTION_UNTRUSTED_BLOCK_THRESHOLD = 0.6;

    private InspectionPolicy() {}

    static InspectionObligations forExchange(Exchange exchange) {
        Decision d = exchange.get(Decision.class);
        return d == null ? InspectionObligations.MASK_ALL : from(d.obligations());
    }

    static InspectionObligations from(Obligations o) {
        Map<EntityType, Action> actions = new EnumMap<>(EntityType.class);
        Set<EntityType> neverOut = EnumSet.noneOf(EntityType.class);
        for (Map.Entry<String, EntityAction> e : o.entities().entrySet()) {
            EntityType type = type(e.getKey());
            if (type == null) continue;
            Action action = switch (e.getValue()) {
                case MASK -> Action.MASK;
                case PSEUDONYMISE -> Action.PSEUDONYMISE;
                case GENERALISE -> Action.GENERALISE;
                case BLOCK -> Action.BLOCK;
                default -> Action.ALLOW;
            };
            actions.put(type, action);
            if (action != Action.ALLOW && type != EntityType.PROMPT_INJECTION) neverOut.add(type);
        }
        var injection = switch (o.injection()) {
            case NONE -> InspectionObligations.InjectionAction.FLAG;
            case FLAG -> InspectionObligations.InjectionAction.FLAG;
            case BLOCK -> InspectionObligations.InjectionAction.BLOCK;
        };
        return new InspectionObligations(actions, Action.ALLOW, neverOut, o.reidentifyAllowed(), injection,
                INJECTION_THRESHOLD, INJECTION_BLOCK_THRESHOLD, MIN_SCORE, INJECTION_UNTRUSTED_BLOCK_THRESHOLD);
    }

    private static EntityType type(String name) {
        try {
            return EntityType.valueOf(name);
        } catch (IllegalArgumentException e) {
            LOG.warning("policy names entity type '" + name + "', which inspection does not detect");
            return null;
        }
    }
}
