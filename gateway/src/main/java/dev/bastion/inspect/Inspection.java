package dev.bastion.inspect;

import java.util.List;

/** The result of inspecting a text: findings, or a typed failure that the stage turns into a deny (fail closed). */
public sealed interface Inspection {

    /** Non-overlapping findings, ordered by start. */
    record Found(List<Finding> findings) implements Inspection {
        public Found {
            findings = List.copyOf(findings);
        }
    }

    /**
     * A detector threw or ran over its time budget. {@code reason} names the detector and the kind of failure
     * (exception class or "timeout"), never the text.
     */
    record Failed(String detector, String reason) implements Inspection {}
}
