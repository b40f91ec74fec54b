package dev.bastion.inspect;

/**
 * One detected entity: where it is, never what it is. Offsets are UTF-16 char indices into the inspected text,
 * {@code end} exclusive; score in [0, 1].
 */
public record Finding(EntityType type, int start, int end, double score) implements Comparable<Finding> {

    public Finding {
        if (type == null || start < 0 || end <= start) {
            throw new IllegalArgumentException("invalid finding span");
        }
        if (!(score >= 0 && score <= 1)) throw new IllegalArgumentException("score out of range");
    }

    public int length() { return end - start; }

    public boolean overlaps(Finding o) { return start < o.end && o.start < end; }

    @Override
    public int compareTo(Finding o) {
        int c = Integer.compare(start, o.start);
        return c != 0 ? c : Integer.compare(o.end, end);
    }
}
