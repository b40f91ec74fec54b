package dev.bastion.quota;

import java.util.List;

/** The outcome of asking quotas for room. */
public sealed interface Admission {

    /** Admitted: the reservations to settle when the request ends. */
    record Admitted(Ticket ticket) implements Admission {}

    /**
     * Refused by one limit of one rule.
     *
     * @param retryAfterSeconds until that limit's window starts again
     */
    record Refused(String rule, Metric metric, long retryAfterSeconds) implements Admission {}

    /** What one admitted request reserved, per counter, for settlement. */
    record Ticket(String model, List<Reservation> reservations) {
        public static final Ticket NONE = new Ticket("", List.of());
    }

    /** One counter's reservation. */
    record Reservation(Lease lease, Metric metric, long window, long amount) {}
}
