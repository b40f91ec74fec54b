package dev.bastion.governance;

/**
 * What the registry says about a route: the entry it resolves to, its lifecycle state as policy sees it
 * ({@code resource.approval}: a state's wire name, or {@code unregistered}), and whether it may route.
 *
 * @param artifactDigest the artifact digest for the audit record, or null
 */
public record Verdict(String entryId, String approval, boolean routable, String artifactDigest) {
    static final Verdict UNREGISTERED = new Verdict(null, "unregistered", false, null);

    /** The approval fact for an exchange admitted as part of an evaluation run of a candidate. */
    static final String EVALUATING = "evaluating";

    Verdict evaluating() { return new Verdict(entryId, EVALUATING, false, artifactDigest); }
}
