package dev.bastion.inspect;

import java.util.List;
import java.util.Map;

/** What inspecting a request body found: per-type counts for policy and audit, or a fail-closed failure. */
public sealed interface RequestScan {

    /**
     * @param counts             findings per type at or above the scan's reporting score (no values)
     * @param injectionScore     highest PROMPT_INJECTION score over all texts (0 when none); flags the request
     * @param callerInjectionScore highest score over the texts the application did not write itself (every role
     *                           but {@code system} and {@code developer}); only this one can refuse the request
     * @param injectionInToolResult whether that score came from a tool/function message (indirect injection)
     * @param untrustedInjectionScore highest score over untrusted text ({@link UntrustedContent}: tool results,
     *                           retrieved documents, quoted e-mail), scored on its own; refused at the stricter
     *                           {@link InspectionObligations#injectionUntrustedBlockThreshold}
     */
    record Scanned(Map<EntityType, Integer> counts, double injectionScore, double callerInjectionScore,
                   boolean injectionInToolResult,
                   RequestTexts texts, List<List<Finding>> findings, double untrustedInjectionScore) implements RequestScan {
        public Scanned {
            counts = Map.copyOf(counts);
        }

        public Scanned(Map<EntityType, Integer> counts, double injectionScore, double callerInjectionScore,
                       boolean injectionInToolResult, RequestTexts texts, List<List<Finding>> findings) {
            this(counts, injectionScore, callerInjectionScore, injectionInToolResult, texts, findings, 0);
        }

        public boolean contains(EntityType type) { return counts.containsKey(type); }
    }

    /** A detector failed: deny the request and audit {@code detector} and {@code reason}. */
    record Failed(String detector, String reason) implements RequestScan {}
}
