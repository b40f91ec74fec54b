package dev.bastion.api;

import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.config.PrivacySettings;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.privacy.ComplianceRecords;
import dev.bastion.privacy.RetentionJob;
import dev.bastion.privacy.RetentionScans;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Generated compliance records ({@code GET /bastion/v1/compliance/gdpr-art30}, {@code …/hipaa}; {@code
 * compliance.read}) and retention ({@code GET /bastion/v1/retention}: rules and recent runs; {@code POST
 * /bastion/v1/retention/run}: run the job now, audited; both {@code retention.manage}).
 */
public final class PrivacyOpsApi {
    private final Supplier<ComplianceRecords> records;
    private final RetentionJob retention;
    private final RetentionScans scans;
    private final AdminGuard guard;
    private final AdminAudit audit;
    private final Clock clock;

    /** @param records built per call from the running configuration and the policy in force now */
    public PrivacyOpsApi(Supplier<ComplianceRecords> records, RetentionJob retention, RetentionScans scans,
                         AdminGuard guard, AdminAudit audit, Clock clock) {
        this.records = records;
        this.retention = retention;
        this.scans = scans;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/bastion/v1/compliance/gdpr-art30", Responses.guarded((req, res) -> {
            guard.require(req, "compliance.read");
            Responses.json(res, 200, records.get().gdprArt30(clock.instant()));
        }));
        routing.get("/bastion/v1/compliance/hipaa", Responses.guarded((req, res) -> {
            guard.require(req, "compliance.read");
            Responses.json(res, 200, records.get().hipaa164312(clock.instant()));
        }));
        routing.get("/bastion/v1/retention", Responses.guarded(this::show));
        routing.post("/bastion/v1/retention/run", Responses.guarded(this::run));
    }

    private void show(ServerRequest req, ServerResponse res) {
        guard.require(req, "retention.manage");
        List<Object> rules = new ArrayList<>();
        for (PrivacySettings.Retention r : retention.rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("data", r.data().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            m.put("purpose", r.purpose());
            m.put("classification", r.classification());
            m.put("keep", r.keep().toString());
            rules.add(m);
        }
        List<Object> runs = new ArrayList<>();
        for (RetentionScans.Run r : scans.runs(Queries.limit(req, 50, 1000))) {
            runs.add(Map.of("run_at", java.time.Instant.ofEpochMilli(r.at()).toString(), "rule", r.rule(),
                    "removed", r.removed(), "digest", r.digest(), "audit_index", r.auditIndex()));
        }
        Responses.json(res, 200, Map.of("object", "retention", "rules", rules, "runs", runs));
    }

    private void run(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "retention.manage");
        List<RetentionJob.Outcome> outcomes = audit.audited(req, who, "retention.run", null, () -> {
            try {
                return retention.run();
            } catch (AuditUnavailableException e) {
                throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the audit log is unavailable"));
            }
        });
        List<Object> out = new ArrayList<>();
        for (RetentionJob.Outcome o : outcomes) {
            out.add(Map.of("rule", o.rule(), "data", o.data(), "removed", o.removed(), "method", o.method(),
                    "digest", o.digest(), "audit_index", o.auditIndex()));
        }
        Responses.json(res, 200, Map.of("object", "retention.run", "removed", out));
    }
}
