package dev.bastion.route;

import java.util.List;
import java.util.Map;

/**
 * The backends a request may go to, in the order to try them — the first is the routed one, the rest are fallbacks
 * for failures before the first byte reaches the client — and how many candidates were left out, by reason.
 */
public record RoutePlan(List<Route> targets, Map<String, Integer> excluded) {
    public RoutePlan {
        targets = List.copyOf(targets);
        excluded = Map.copyOf(new java.util.TreeMap<>(excluded));
    }

    /** {@code reason=count,…} in reason order, for error details. */
    public String excludedText() {
        StringBuilder all = new StringBuilder();
        new java.util.TreeMap<>(excluded).forEach((r, n) -> all.append(all.isEmpty() ? "" : ",").append(r).append('=').append(n));
        return all.toString();
    }
}
