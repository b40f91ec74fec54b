package dev.bastion.audit;

import java.util.List;

/**
 * The policy outcome as audited: effect ({@code permit} / {@code forbid} / {@code deny} for default deny), the ids
 * of the rules that decided, in evaluation order, and the obligations applied ({@code mask:EMAIL},
 * {@code route:region=eu}, …).
 */
public record PolicyDecision(String effect, List<String> ruleIds, List<String> obligations) {
    public PolicyDecision {
        effect = Fields.token("decision.effect", effect);
        ruleIds = Fields.tokens("decision.rules", ruleIds);
        obligations = Fields.tokens("decision.obligations", obligations);
    }
}
