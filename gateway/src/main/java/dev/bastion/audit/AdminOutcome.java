package dev.bastion.audit;

/**
 * How an audited admin action ended, when the handler knows better than the HTTP status: a word
 * ({@code succeeded}, {@code unchanged}, {@code rejected}, {@code failed}), the object acted on once it is known
 * (the id of a key just created), and for policy changes the digest of the policy in force afterwards. Left on the
 * exchange as a fact; without one, the outcome follows the status (2xx succeeded, 4xx rejected, else failed).
 *
 * @param target       what was acted on ({@code key:abc123}), or null to keep the route's target
 * @param policyDigest {@code sha256:<hex>}, or null
 */
public record AdminOutcome(String outcome, String target, String policyDigest) {

    public static AdminOutcome of(String outcome) { return new AdminOutcome(outcome, null, null); }

    public static AdminOutcome target(String target) { return new AdminOutcome("succeeded", target, null); }
}
