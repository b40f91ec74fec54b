package dev.bastion.governance;

import dev.bastion.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-request registry check, served from an immutable snapshot: binding key → {@link Verdict}. A check is two
 * hash lookups and a volatile read; the snapshot is rebuilt from the store whenever {@link RegistryChanges} says the
 * registry changed (on any replica), and a replica that cannot vouch for its snapshot refuses ("fresh or refuse").
 */
public final class RoutingGate {
    private final Database db;
    private final RegistryChanges changes;
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    private record Snapshot(long version, Map<String, Verdict> byBinding) {}

    public RoutingGate(Database db, RegistryChanges changes) {
        this.db = db;
        this.changes = changes;
        changes.subscribe(this::reload);
        reload(0);
    }

    /** The verdict for a binding key ({@link Bindings}); {@link Verdict#UNREGISTERED} when no entry names it. */
    public Verdict check(String binding) {
        Verdict v = snapshot.byBinding.get(binding);
        return v == null ? Verdict.UNREGISTERED : v;
    }

    /** False when this replica cannot be sure it has seen every registry change. */
    public boolean fresh() { return changes.fresh(); }

    /** The store version the snapshot reflects. */
    public long version() { return snapshot.version; }

    /** Rebuilds the snapshot unless it already reflects {@code atLeast}. */
    synchronized long reload(long atLeast) {
        if (snapshot.version >= atLeast && snapshot.version >= 0) return snapshot.version;
        snapshot = Jdbc.read(db, "load registry snapshot", RoutingGate::load);
        return snapshot.version;
    }

    private static Snapshot load(Connection c) throws SQLException {
        // the version is read first: entries committed after it are newer than it says, which is safe
        long version = EntryStore.currentVersion(c);
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
        return new Snapshot(version, Map.copyOf(verdicts));
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
