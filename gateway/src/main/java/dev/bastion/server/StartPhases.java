package dev.bastion.server;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a start spends its time (issue 22's cold-start goal): the wall time of each phase of building the object
 * graph, in order, and how long the JVM ran before it began — logged once as one line, so an operator (and
 * bench/scripts/cold-start.sh) sees which part to look at. Names are fixed words; nothing else is recorded.
 */
final class StartPhases {
    private final long begun = System.nanoTime();
    private long last = begun;
    private final List<String> phases = new ArrayList<>();

    /** Ends the phase running since the last mark (or the start) under {@code name}. */
    void mark(String name) {
        long now = System.nanoTime();
        phases.add(name + " " + (now - last) / 1_000_000);
        last = now;
    }

    /** The line to log: JVM time before wiring began, then each phase in milliseconds, then the total. */
    String summary() {
        long jvmBefore = ManagementFactory.getRuntimeMXBean().getUptime() - (System.nanoTime() - begun) / 1_000_000;
        return String.format(Locale.ROOT, "start phases (ms): jvm+config %d, %s; wiring total %d", jvmBefore,
                String.join(", ", phases), (last - begun) / 1_000_000);
    }
}
