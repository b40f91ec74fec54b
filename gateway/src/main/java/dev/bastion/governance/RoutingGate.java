package dev.bastion.governance;

import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-request registry check, served from an immutable snapshot: binding key → {@link Verdict}. A check is a
 * hash lookup and a volatile read; the snapshot is rebuilt whenever the change feed says the registry changed (on
 * any replica), and a replica whose feed is not fresh refuses rather than trust it ("fresh or refuse").
 */
public final class RoutingGate {
    /** The change-feed topic of the model registry. */
    public static final String TOPIC = "models";

    private final Database db;
    private final ChangeFeed feed;
    private volatile Map<String, Verdict> byBinding = Map.of();

    /** Subscribes to the feed, then loads: a change committed in between is in the load or delivered after it. */
    public RoutingGate(Database db, ChangeFeed feed) {
        this.db = db;
        this.feed = feed;
        feed.subscribe(TOPIC, version -> reload());
        reload();
    }

    /** The verdict for a binding key ({@link Bindings}); {@link Verdict#UNREGISTERED} when no entry names it. */
    public Verdict check(String binding) {
        Verdict v = byBinding.get(binding);
        return v == null ? Verdict.UNREGISTERED : v;
    }

    /** False when this replica cannot be sure it has seen every registry change. */
    public boolean fresh() { return feed.isFresh(); }

    synchronized void reload() {
        byBinding = Jdbc.read(db, "load registry snapshot", RoutingGate::load);
    }

    private static Map<String, Verdict> load(Connection c) throws SQLException {
        List<RegistryEntry> all = EntryStore.listAll(c);
        Map<String, RegistryEntry> byId = new HashMap<>();
        for (RegistryEntry e : all) byId.put(e.id(), e);
        Map<String, RegistryEntry> chosen = new HashMap<>();
        for (RegistryEntry e : all) {
            RegistryEntry base = e.baseId() == null ? null : byId.get(e.baseId());
            if (e.kind() == RegistryEntry.Kind.ADAPTER && (base == null || !base.isLocal())) continue;
            chosen.merge(e.bindingKey(base == null ? null : base.artifact().sha256()), e, RoutingGate::authoritative);
        }
        Map<String, Verdict> verdicts = new HashMap<>(chosen.size() * 2);
        chosen.forEach((key, e) -> {
            boolean routable = e.state().routable();
            if (e.kind() == RegistryEntry.Kind.ADAPTER) {
                RegistryEntry base = byId.get(e.baseId());
                routable &= base != null && base.state().routable();
            }
            verdicts.put(key, new Verdict(e.id(), e.state().wire(), routable, e.artifactDigest()));
        });
        return Map.copyOf(verdicts);
    }

    /**
     * Of two entries with the same binding: a revoked local digest stays revoked; otherwise the entry that is not
     * final (at most one is); otherwise the newer.
     */
    private static RegistryEntry authoritative(RegistryEntry a, RegistryEntry b) {
        if (a.isLocal()) {
            if (a.state() == LifecycleState.REVOKED) return a;
            if (b.state() == LifecycleState.REVOKED) return b;
        }
        if (!a.state().terminal() && b.state().terminal()) return a;
        if (!b.state().terminal() && a.state().terminal()) return b;
        return a.createdAt().isAfter(b.createdAt()) ? a : b;
    }
}
