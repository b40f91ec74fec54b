package dev.bastion.api;

import dev.bastion.audit.AdminOutcome;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.config.PrivacySettings;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.privacy.ComplianceRecords;
import dev.bastion.privacy.RetentionJob;
import dev.bastion.privacy.RetentionScans;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    private final Clock clock;

    /** @param records built per call from the running configuration and the policy in force now */
    public PrivacyOpsApi(Supplier<ComplianceRecords> records, RetentionJob retention, RetentionScans scans, Clock clock) {
        this.records = records;
        this.retention = retention;
        this.scans = scans;
        this.clock = clock;
    }

    public void register(AdminRoutes routes) {
        Access compliance = Access.to("compliance.read");
        routes.get("/bastion/v1/compliance/gdpr-art30", compliance, call -> Reply.ok(records.get().gdprArt30(clock.instant())));
        routes.get("/bastion/v1/compliance/hipaa", compliance, call -> Reply.ok(records.get().hipaa164312(clock.instant())));
        routes.get("/bastion/v1/retention", Access.to("retention.manage"), this::show);
        routes.post("/bastion/v1/retention/run", Access.to("retention.manage").audited("retention.run"), this::run);
    }

    private Reply show(AdminCall call) {
        List<Object> rules = new ArrayList<>();
        for (PrivacySettings.Retention r : retention.rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("data", r.data().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            m.put("purpose", r.purpose());
            m.put("classification", r.classification());
            m.put("keep", r.keep().toString());
            rules.add(m);
        }
        List<Object> runs = new ArrayList<>();
        for (RetentionScans.Run r : scans.runs(Queries.limit(call, 50, 1000))) {
            runs.add(Map.of("run_at", Instant.ofEpochMilli(r.at()).toString(), "rule", r.rule(),
                    "removed", r.removed(), "digest", r.digest(), "audit_index", r.auditIndex()));
        }
        return Reply.ok(Map.of("object", "retention", "rules", rules, "runs", runs));
    }

    private Reply run(AdminCall call) {
        List<RetentionJob.Outcome> outcomes;
        try {
            outcomes = retention.run();
        } catch (AuditUnavailableException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the audit log is unavailable"));
        }
        call.outcome(AdminOutcome.of(outcomes.isEmpty() ? "unchanged" : "succeeded"));
        List<Object> out = new ArrayList<>();
        for (RetentionJob.Outcome o : outcomes) {
            out.add(Map.of("rule", o.rule(), "data", o.data(), "removed", o.removed(), "method", o.method(),
                    "digest", o.digest(), "audit_index", o.auditIndex()));
        }
        return Reply.ok(Map.of("object", "retention.run", "removed", out));
    }
}
