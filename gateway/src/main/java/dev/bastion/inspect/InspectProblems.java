package dev.bastion.inspect;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;

import java.util.Set;
import java.util.TreeSet;

/** The client-visible problems inspection can cause. They name entity types and detectors, never values or text. */
public final class InspectProblems {
    private InspectProblems() {}

    /** 403 sensitive_data_blocked (or prompt_injection_blocked when that is the only type), detail "types". */
    public static Problem blocked(Set<EntityType> types) {
        TreeSet<String> names = new TreeSet<>();
        for (EntityType t : types) names.add(t.name());
        String list = String.join(",", names);
        if (types.size() == 1 && types.contains(EntityType.PROMPT_INJECTION)) {
            return ErrorCode.PROMPT_INJECTION_BLOCKED.problem("request refused: prompt injection detected")
                    .withDetail("types", list);
        }
        return ErrorCode.SENSITIVE_DATA_BLOCKED.problem("request refused: it contains data of types policy blocks: "
                + list).withDetail("types", list);
    }

    /** 500 inspection_failed (fail closed), details "detector" and "reason". */
    public static Problem failed(String detector, String reason) {
        return ErrorCode.INSPECTION_FAILED.problem("request refused: inspection could not complete")
                .withDetail("detector", detector).withDetail("reason", reason);
    }
}
