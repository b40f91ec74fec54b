package dev.bastion.server;

import dev.bastion.audit.AuditLogReader;
import dev.bastion.audit.LedgerRef;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.PrivacySettings;
import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressGate;
import dev.bastion.inspect.BarrierPseudonymVault;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.VaultRecords;
import dev.bastion.investigate.AuditFollower;
import dev.bastion.investigate.AuditSearch;
import dev.bastion.investigate.SearchIndexer;
import dev.bastion.investigate.SiemExporter;
import dev.bastion.investigate.SiemFormat;
import dev.bastion.investigate.SocketSiemConnector;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.Policy;
import dev.bastion.privacy.AccessExport;
import dev.bastion.privacy.ComplianceRecords;
import dev.bastion.privacy.ConsentRegistry;
import dev.bastion.privacy.ConsentStage;
import dev.bastion.privacy.Erasure;
import dev.bastion.privacy.PrivacyStore;
import dev.bastion.privacy.RetentionJob;
import dev.bastion.privacy.RetentionScans;
import dev.bastion.privacy.SubjectKeys;
import dev.bastion.privacy.SubjectRequests;
import dev.bastion.privacy.SubjectTokens;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;
import dev.bastion.tls.ServerTls;
import dev.bastion.tls.UpstreamTls;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The privacy and investigation part of the object graph (read with {@link Wiring}): subject tokens, the consent
 * registry and its stage, access export, erasure, retention, the search index beside the audit log and the SIEM
 * exporters that follow it.
 */
final class Privacy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Privacy.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    final SubjectKeys keys;
    final SubjectTokens tokens;
    final ConsentRegistry registry;
    final SubjectRequests requests;
    final AuditSearch search;
    final AccessExport export;
    final Erasure erasure;
    final RetentionScans scans;
    final RetentionJob retention;
    private final Barrier barrier;
    private final LedgerRef ledger;
    private final Duration retentionInterval;
    private final AuditFollower indexer;
    private final List<AuditFollower> sinks = new ArrayList<>();

    Privacy(BastionConfig config, Database db, Barrier barrier, BarrierStore records, BarrierPseudonymVault pseudonyms,
            ChangeFeed changes, LedgerRef ledger, EgressGate egress, List<dev.bastion.common.SubjectErasure> elsewhere,
            Clock clock) {
        this.barrier = barrier;
        this.ledger = ledger;
        this.keys = SubjectKeys.of(barrier);
        PrivacyStore store = new PrivacyStore(db);
        this.tokens = new SubjectTokens(keys, store, clock);
        this.registry = new ConsentRegistry(store, tokens, records, changes, clock);
        this.requests = new SubjectRequests(db, clock);
        VaultRecords vault = new VaultRecords(pseudonyms);
        this.indexer = new AuditFollower(db, SearchIndexer.FOLLOWER, new SearchIndexer(), clock,
                Duration.ofMillis(250), 2_000, AuditFollower.Start.BEGINNING).start();
        this.search = new AuditSearch(db, AuditLogReader.of(db), indexer);
        this.export = new AccessExport(registry, store, vault, search, ledger, requests, clock);
        this.erasure = new Erasure(registry, keys, store, vault, token -> {
            search.catchUp();
            return search.countSubject(token);
        }, elsewhere, ledger, requests, clock);
        this.scans = new RetentionScans(db);
        PrivacySettings p = config.privacy();
        this.retention = new RetentionJob(p.retention(), registry, scans, vault, keys, ledger, clock);
        this.retentionInterval = p.retentionInterval();
        for (PrivacySettings.Siem s : p.siem()) sinks.add(sink(db, egress, s, config.audit().origin(), clock));
    }

    Stage stage() { return new ConsentStage(registry); }

    ComplianceRecords records(BastionConfig config, Policy policy, Duration pseudonymTtl) {
        return new ComplianceRecords(config, policy, config.audit().origin(), pseudonymTtl,
                Arrays.stream(EntityType.values()).map(Enum::name).toList());
    }

    /** Runs retention on the housekeeping thread while the barrier is open and the ledger is ready. */
    void schedule(ScheduledExecutorService housekeeping) {
        if (retention.rules().isEmpty() || retentionInterval.isZero()) return;
        long every = retentionInterval.toMillis();
        housekeeping.scheduleWithFixedDelay(() -> {
            if (barrier.isSealed() || !ledger.isOpen()) return;
            try {
                retention.run();
            } catch (Exception e) {
                LOG.warning("retention run failed: " + e.getClass().getSimpleName());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** A sink's destination is declared with the gate here, before the egress manifest is written. */
    private static AuditFollower sink(Database db, EgressGate egress, PrivacySettings.Siem s, String origin, Clock clock) {
        SiemFormat format = new SiemFormat(SiemFormat.Kind.valueOf(s.format().name()), origin, hostName(), s.appName());
        SiemExporter.Sink target = switch (s.transport()) {
            case FILE -> new SiemExporter.Sink.File(s.file());
            case TCP -> new SiemExporter.Sink.Stream(new SocketSiemConnector(egress,
                    egress.declare(new Destination("siem:" + s.name(), "syslog", s.host(), s.port())), null, TIMEOUT));
            case TLS -> {
                ServerTls.Source client = s.clientChain() == null ? null
                        : new ServerTls.Source.PemFiles(s.clientChain(), s.clientKey(), null);
                UpstreamTls tls = UpstreamTls.create(new UpstreamTls.Config(s.ca(), List.of(), client, s.allowTls12()));
                yield new SiemExporter.Sink.Stream(new SocketSiemConnector(egress,
                        egress.declare(new Destination("siem:" + s.name(), "syslog-tls", s.host(), s.port())), tls::wrap,
                        TIMEOUT));
            }
        };
        return new AuditFollower(db, SiemExporter.follower(s.name()), new SiemExporter(s.name(), format, target), clock,
                Duration.ofMillis(200), 500, s.start() == PrivacySettings.Start.END
                        ? AuditFollower.Start.END : AuditFollower.Start.BEGINNING).start();
    }

    /** The syslog HOSTNAME: the machine's name as the OS states it (no DNS lookup). */
    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
            } catch (java.io.IOException e) {
                h = "-";
            }
        }
        return h.isBlank() ? "-" : h;
    }

    /** SIEM sinks stop first (each finishes its batch and closes its connection cleanly), then the indexer. */
    @Override
    public void close() {
        for (AuditFollower f : sinks) f.close();
        indexer.close();
    }

}
