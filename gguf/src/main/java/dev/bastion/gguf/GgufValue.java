package dev.bastion.gguf;

import java.util.List;

/** One metadata value. Arrays larger than the reader's retain limit keep only their length. */
public sealed interface GgufValue {

    GgufValueType type();

    /** An integer, float or bool; integers are widened to Long (UINT64 above Long.MAX_VALUE stays negative). */
    record Scalar(GgufValueType type, Object value) implements GgufValue {}

    record Text(String value) implements GgufValue {
        public GgufValueType type() { return GgufValueType.STRING; }
    }

    /** @param values the elements (Long, Double, Boolean or String), or null when not retained */
    record Array(GgufValueType elementType, long length, List<Object> values) implements GgufValue {
        public GgufValueType type() { return GgufValueType.ARRAY; }

        public boolean retained() { return values != null; }
    }
}
