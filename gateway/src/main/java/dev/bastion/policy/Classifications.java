package dev.bastion.policy;

import java.util.List;
import java.util.Map;

/**
 * The ordered classification labels of a policy ({@code classifications: [public, internal, confidential]}), turned
 * into levels for CEL. Unknowns fail closed in both directions: an unknown label declared by a caller ranks above
 * every known one; an unknown or missing maximum on a resource ranks below every known one.
 *
 * <p>A request's level is the higher of what it declares (or the default) and what its content shows: each entity
 * type listed in {@code finding_classifications} that inspection found raises the level to at least its label — a
 * health identifier makes a request {@code confidential} even when the caller declared {@code public}.
 *
 * @param labels         lowest first
 * @param defaultLabel   level used when a request declares nothing; "" for none (level -1)
 * @param raisedBy       entity type → the least label a request holding it has
 */
record Classifications(List<String> labels, String defaultLabel, Map<String, String> raisedBy) {
    static final Classifications NONE = new Classifications(List.of(), "", Map.of());

    Classifications {
        labels = List.copyOf(labels);
        raisedBy = Map.copyOf(raisedBy);
    }

    /** The level the caller declared (or the default), before looking at the content. */
    int declaredLevel(String label) {
        if (label.isEmpty()) return defaultLabel.isEmpty() ? -1 : labels.indexOf(defaultLabel);
        int i = labels.indexOf(label);
        return i >= 0 ? i : labels.size();
    }

    /** The request's level: the declared one, raised by what inspection found. */
    int requestLevel(RequestFacts facts) {
        int level = declaredLevel(facts.classification());
        if (raisedBy.isEmpty()) return level;
        for (var e : facts.findings().entrySet()) {
            if (e.getValue() <= 0) continue;
            String floor = raisedBy.get(e.getKey());
            if (floor != null) level = Math.max(level, labels.indexOf(floor));
        }
        return level;
    }

    int resourceLevel(String label) { return labels.indexOf(label); }

    /** The label a request is treated as having (for CEL, audit and explanations). */
    String effectiveRequestLabel(RequestFacts facts) {
        int level = requestLevel(facts);
        int declared = declaredLevel(facts.classification());
        if (level == declared) return facts.classification().isEmpty() ? defaultLabel : facts.classification();
        return labels.get(level);
    }

    /** True when the request's level is above what the resource is approved for. */
    boolean above(RequestFacts facts, Resource resource) {
        return !labels.isEmpty() && requestLevel(facts) > resourceLevel(resource.maxClassification());
    }
}
