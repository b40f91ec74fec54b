package dev.bastion.api;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Action;
import dev.bastion.policy.Decision;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;

import java.util.List;
import java.util.Set;

/**
 * Which roles a caller may put on a new credential. Holding {@code keys.manage} is not enough: every role must exist
 * in the running policy (a typo or an invented {@code root} is refused, not stored) and the policy must permit
 * {@code keys.grant} on {@code role:<name>} for the caller — so separation of duties reaches key minting (under the
 * shipped policy an admin cannot mint an auditor, who could then read what the admin may not).
 */
public final class RoleGrants {
    private final PolicyHolder policies;

    /** @param policies the policy in force, read on every call (policies reload) */
    public RoleGrants(PolicyHolder policies) {
        this.policies = policies;
    }

    /** Returns normally when the caller may grant every one of {@code roles}; a 400 or 403 problem otherwise. */
    public void check(AdminCall call, List<String> roles) {
        check(call.principal(), call.policyFacts(), roles);
    }

    /** As {@link #check(AdminCall, List)}, for a caller outside an HTTP call (the offline CLI's local operator). */
    public void check(Principal who, RequestFacts facts, List<String> roles) {
        Set<String> known = policies.current().roles();
        for (String role : roles) {
            // role names were checked against a plain token shape before: safe to name in the message
            if (!known.contains(role)) {
                throw new ProblemException(ErrorCode.INVALID_FIELD.problem(
                        "role '" + role + "' is not defined in the policy in force", "roles"));
            }
        }
        for (String role : roles) {
            Decision d = policies.decide(new PolicyRequest(who, Action.KEYS_GRANT, Resource.admin("role", role), facts));
            if (!d.allowed()) {
                Problem p = d.problem();
                throw new ProblemException(new Problem(p.code(), "you may not grant role '" + role + "': "
                        + p.message(), "roles", p.details()));
            }
        }
    }
}
