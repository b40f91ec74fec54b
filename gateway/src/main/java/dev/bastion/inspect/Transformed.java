package dev.bastion.inspect;

import dev.bastion.pipeline.Exchange;

import java.util.Map;
import java.util.TreeMap;

/**
 * The transform stage's fact: what policy decided about personal data for this exchange, the exchange's pseudonym
 * session (conversation-scoped), whether the request passed with a PROMPT_INJECTION score at the flagging point, and
 * what the answer filter found. Its response filter works from this; the audit records read the flag and counts.
 */
public record Transformed(InspectionObligations obligations, PseudonymSession session, boolean injectionFlagged,
                          AnswerFindings answer) {

    public Transformed(InspectionObligations obligations, PseudonymSession session, boolean injectionFlagged) {
        this(obligations, session, injectionFlagged, new AnswerFindings());
    }

    /**
     * Output finding counts by type name: what the answer filter found in the text it released. Empty when the
     * answer was not inspected — policy masks nothing in answers and allows no re-identification, so no filter ran.
     */
    public static Map<String, Integer> outputCounts(Exchange exchange) {
        Transformed t = exchange.get(Transformed.class);
        return t == null ? Map.of() : t.answer().counts();
    }

    /**
     * Input finding counts by entity type name (never values), from the exchange's {@link RequestScan.Scanned} fact
     * and this one; empty when nothing was scanned. What policy decides on and what audit records.
     */
    public static Map<String, Integer> inputCounts(Exchange exchange) {
        RequestScan.Scanned scan = exchange.get(RequestScan.Scanned.class);
        if (scan == null) return Map.of();
        var counts = new TreeMap<String, Integer>();
        scan.counts().forEach((type, n) -> counts.put(type.name(), n));
        // a flagged injection is what the auditor needs to see of it: that it happened, not the text
        Transformed t = exchange.get(Transformed.class);
        if (t != null && t.injectionFlagged()) counts.put(EntityType.PROMPT_INJECTION.name(), 1);
        return counts;
    }
}
