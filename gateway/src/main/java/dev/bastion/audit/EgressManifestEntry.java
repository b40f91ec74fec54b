package dev.bastion.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code bastion.audit.egress/v1}: every destination the server may connect to — written at start and again
 * whenever the declarations change (a backend added or removed by a reload) — so the log says, for any moment,
 * where data could have gone.
 *
 * @param reason       {@code start} or {@code change}
 * @param mode         {@code declared} or {@code allow-list}
 * @param version      the gate's declaration version this manifest shows
 * @param allow        the allow-list entries ({@code host[:port]}, {@code network[:port]})
 * @param destinations the declared destinations
 */
public record EgressManifestEntry(Instant time, String reason, String mode, long version, List<String> allow,
                                  List<Destination> destinations) implements AuditEntry {
    public static final String KIND = "bastion.audit.egress/v1";
    static final int MAX_ITEMS = 512;

    /** One destination: who needs it, where it is, and whether the allow-list lets it through. */
    public record Destination(String purpose, String scheme, String host, int port, boolean allowed) {
        public Destination {
            purpose = Fields.token("destinations.purpose", purpose);
            scheme = Fields.token("destinations.scheme", scheme);
            host = Fields.token("destinations.host", host);
            if (port < 1 || port > 65535) throw new IllegalArgumentException("destinations.port must be 1-65535");
        }
    }

    public EgressManifestEntry {
        if (time == null) throw new IllegalArgumentException("time is required");
        reason = Fields.token("reason", reason);
        mode = Fields.token("mode", mode);
        Fields.nonNegative("version", version);
        if (allow.size() > MAX_ITEMS || destinations.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("an egress manifest holds at most " + MAX_ITEMS + " items per list");
        }
        List<String> a = new ArrayList<>();
        for (String s : allow) a.add(Fields.token("allow", s));
        allow = List.copyOf(a);
        destinations = destinations.stream().sorted(Comparator.comparing(Destination::purpose)
                .thenComparing(Destination::host).thenComparingInt(Destination::port)).toList();
    }

    @Override
    public String kind() { return KIND; }
}
