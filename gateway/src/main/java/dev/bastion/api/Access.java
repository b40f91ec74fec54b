package dev.bastion.api;

import dev.bastion.policy.Action;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Resource;

import java.util.function.Function;

/**
 * How a route of Bastion's own API is guarded, declared where the route is registered. {@link #to} (every route but
 * three): the caller authenticates, the policy decides the route's action on its resource, refusals are audited,
 * and a sealed server answers 503 {@code sealed}; {@link #audited} adds a durable {@code requested} record before the
 * handler runs and an outcome record after. {@link #withoutCredentials} is only for the barrier's life cycle under
 * {@code /bastion/v1/operator/} (status, init, unseal), which must answer while sealed.
 *
 * @param action     the policy action (an {@link Action} wire name), or for routes without credentials the name
 *                   refusals are recorded under
 * @param resource   what the action is performed on; null for routes without credentials
 * @param auditEvent the admin record's action name ({@code key.create}), or null when the route changes nothing
 * @param target     what the audited action works on, read from the call before acting ({@code key:<id>}); may be
 *                   null
 * @param open       no credentials, no policy, answers while sealed
 */
public record Access(String action, Resource resource, String auditEvent, Function<AdminCall, String> target,
                     boolean open) {

    /** The caller must be allowed {@code action} on the action's area ({@code keys:*}, {@code policy:default}, …). */
    public static Access to(String action) {
        Action a = Authorization.action(action);
        return new Access(a.wire(), area(a), null, null, false);
    }

    /** Only for {@code /bastion/v1/operator/} status, init and unseal: the handler checks its own authority. */
    public static Access withoutCredentials(String name) {
        return new Access(name, null, null, null, true);
    }

    /** The action is performed on {@code resource} rather than on the whole area. */
    public Access on(Resource resource) {
        requireCredentials();
        return new Access(action, resource, auditEvent, target, false);
    }

    /** Audit before acting: a {@code requested} record named {@code event} before the handler, the outcome after. */
    public Access audited(String event) { return audited(event, null); }

    /** As {@link #audited(String)}, naming the target (read from the path, never from secrets). */
    public Access audited(String event, Function<AdminCall, String> target) {
        requireCredentials();
        return new Access(action, resource, event, target, false);
    }

    private void requireCredentials() {
        if (open) throw new IllegalStateException("routes without credentials take no policy resource or audit");
    }

    /**
     * The resource an administrative action works on: its area ({@code keys:*}, {@code audit:*},
     * {@code policy:default}, the model catalogue {@code models:*} for listing).
     */
    public static Resource area(Action action) {
        String wire = action.wire();
        String kind = wire.substring(0, wire.indexOf('.'));
        return switch (kind) {
            case "policy" -> Resource.admin("policy", "default");
            case "model" -> Resource.admin("models", "*");
            default -> Resource.admin(kind, "*");
        };
    }
}
