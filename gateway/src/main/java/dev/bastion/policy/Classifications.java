package dev.bastion.policy;

import java.util.List;

/**
 * The ordered classification labels of a policy ({@code classifications: [public, internal, confidential]}), turned
 * into levels for CEL. Unknowns fail closed in both directions: an unknown label declared by a caller ranks above
 * every known one; an unknown or missing maximum on a resource ranks below every known one.
 *
 * @param labels        lowest first
 * @param defaultLabel  level used when a request declares nothing; "" for none (level -1)
 */
record Classifications(List<String> labels, String defaultLabel) {
    static final Classifications NONE = new Classifications(List.of(), "");

    Classifications {
        labels = List.copyOf(labels);
    }

    int requestLevel(String label) {
        if (label.isEmpty()) return defaultLabel.isEmpty() ? -1 : labels.indexOf(defaultLabel);
        int i = labels.indexOf(label);
        return i >= 0 ? i : labels.size();
    }

    int resourceLevel(String label) { return labels.indexOf(label); }

    /** The label a request is treated as having (for audit and explanations). */
    String effectiveRequestLabel(String label) { return label.isEmpty() ? defaultLabel : label; }
}
