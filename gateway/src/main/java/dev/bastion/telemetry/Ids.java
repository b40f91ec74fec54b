package dev.bastion.telemetry;

import java.util.concurrent.ThreadLocalRandom;

/** Random non-zero trace and span ids (W3C: ids are random, all zeros is invalid). Not secrets. */
final class Ids {
    private Ids() {}

    static long span() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }
}
