package dev.bastion.inspect;

import java.util.List;

/**
 * Finds entities in text. Implementations must run in time linear in the text length on any input (no
 * backtracking regular expressions over untrusted text), must not keep or log the text, and report only
 * offsets. A detector that throws or overruns its time budget fails the whole inspection (fail closed).
 */
public interface Detector {

    /** Stable short name, used in failure reasons and metrics. */
    String name();

    /** Adds the findings in {@code text} to {@code out}. Overlaps with other detectors are resolved by the caller. */
    void detect(Text text, List<Finding> out);
}
