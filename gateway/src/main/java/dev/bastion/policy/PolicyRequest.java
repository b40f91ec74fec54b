package dev.bastion.policy;

import dev.bastion.identity.Principal;

/** One authorization question: may {@code principal} perform {@code action} on {@code resource}, given {@code facts}? */
public record PolicyRequest(Principal principal, Action action, Resource resource, RequestFacts facts) {
    public PolicyRequest {
        if (principal == null || action == null || resource == null || facts == null) {
            throw new IllegalArgumentException("every part of a policy request is required");
        }
    }
}
