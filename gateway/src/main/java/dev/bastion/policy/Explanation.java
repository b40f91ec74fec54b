package dev.bastion.policy;

import java.util.List;

/**
 * A decision with the path to it: for each rule that covers the action, in evaluation order (forbids, permits,
 * obligates), what happened to it. Rules after a deciding forbid are not evaluated and do not appear.
 *
 * @param steps outcome per rule: {@code role_mismatch}, {@code resource_mismatch}, {@code condition_false},
 *              {@code condition_error}, {@code purpose_missing}, {@code purpose_not_listed}, {@code matched}
 */
public record Explanation(Decision decision, List<Step> steps) {
    public Explanation {
        steps = List.copyOf(steps);
    }

    public record Step(String ruleId, Effect effect, int line, String outcome) {}
}
