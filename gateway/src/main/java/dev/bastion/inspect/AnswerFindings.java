package dev.bastion.inspect;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What output inspection found in an answer, counted by type as the text was released (each finding once, however
 * the stream was cut) — counts, never values. Filled on the exchange's thread while the answer streams; read by the
 * complete record once it has ended.
 */
public final class AnswerFindings {
    private final EnumMap<EntityType, Integer> counts = new EnumMap<>(EntityType.class);

    void add(EntityType type) { counts.merge(type, 1, Integer::sum); }

    /** Counts by entity type name; empty when nothing was found (or the answer was not inspected). */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach((type, n) -> out.put(type.name(), n));
        return out;
    }

    @Override
    public String toString() { return "AnswerFindings" + counts; }
}
