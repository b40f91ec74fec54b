package dev.bastion.egress;

import java.util.Comparator;
import java.util.List;

/**
 * Every destination Bastion may reach, as written to the audit log at start and after each change: the mode, the
 * allow-list and each declared destination with whether the allow-list lets it through without looking at DNS
 * (in {@link EgressGate.Mode#DECLARED} mode every declared destination is allowed by being declared).
 *
 * @param version increases with every change of the declarations
 */
public record EgressManifest(long version, EgressGate.Mode mode, List<String> allow, List<Line> destinations) {

    /** One declared destination. */
    public record Line(Destination destination, boolean allowed) {}

    public EgressManifest {
        allow = List.copyOf(allow);
        destinations = List.copyOf(destinations);
    }

    static EgressManifest of(long version, EgressGate.Mode mode, List<AllowEntry> allow, List<Line> lines) {
        List<Line> sorted = lines.stream().sorted(Comparator.comparing((Line l) -> l.destination().purpose())
                .thenComparing(l -> l.destination().address())).toList();
        return new EgressManifest(version, mode, allow.stream().map(AllowEntry::describe).toList(), sorted);
    }
}
