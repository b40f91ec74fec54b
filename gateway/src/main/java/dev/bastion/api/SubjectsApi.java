package dev.bastion.api;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.privacy.AccessExport;
import dev.bastion.privacy.Erasure;
import dev.bastion.privacy.SubjectRequests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Data-subject rights: {@code POST /bastion/v1/subjects/export} (right of access: a signed, offline-verifiable
 * bundle), {@code POST /bastion/v1/subjects/erase} (erasure: the subject's key is destroyed, the proof appended to
 * the audit log) and {@code GET /bastion/v1/subjects/requests} (the log of both). The shipped policy allows export
 * and erasure only under the {@code data-subject-request} purpose. The subject id is taken from the body and never
 * written to an audit record or log (the admin records of these routes name no target).
 */
public final class SubjectsApi {
    private final AccessExport export;
    private final Erasure erasure;
    private final SubjectRequests requests;

    public SubjectsApi(AccessExport export, Erasure erasure, SubjectRequests requests) {
        this.export = export;
        this.erasure = erasure;
        this.requests = requests;
    }

    public void register(AdminRoutes routes) {
        routes.post("/bastion/v1/subjects/export", Access.to("subjects.export").audited("subject.export"), this::export);
        routes.post("/bastion/v1/subjects/erase", Access.to("subjects.erase").audited("subject.erase"), this::erase);
        routes.get("/bastion/v1/subjects/requests", Access.to("consent.read"), this::requests);
    }

    private Reply export(AdminCall call) {
        String subject = subject(call);
        var doc = unavailableAsProblem(() -> export.export(subject, call.requestId(), call.principal().id()));
        if (doc.isEmpty()) {
            call.outcome(AdminOutcome.of("nothing_held"));
            throw new ProblemException(ErrorCode.NOT_FOUND.problem("Bastion holds nothing under this subject id"));
        }
        call.outcome(AdminOutcome.of("exported"));
        return Reply.ok(doc.get());
    }

    private Reply erase(AdminCall call) {
        String subject = subject(call);
        String client = dev.bastion.policy.Authorization.ipLiteral(call.exchange().clientAddress());
        Erasure.Proof p = unavailableAsProblem(() -> erasure.erase(subject, Actor.of(call.principal()),
                call.requestId(), client.isEmpty() ? null : client));
        call.outcome(AdminOutcome.of(p.outcome()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "subject.erasure");
        out.put("request_id", call.requestId());
        out.put("outcome", p.outcome());
        out.put("key_id", p.keyId() < 0 ? null : Long.toString(p.keyId()));
        out.put("counts", p.counts());
        out.put("audit_index", p.auditIndex());
        if (p.propagation() != null) out.put("propagation", ConsentApi.propagation(p.propagation()));
        return Reply.ok(out);
    }

    private Reply requests(AdminCall call) {
        int limit = Queries.limit(call, 100, 1000);
        long before = Queries.number(call, "before", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        List<SubjectRequests.Request> page = requests.list(null, before == Long.MAX_VALUE ? null : before, limit);
        List<Object> data = new ArrayList<>();
        for (SubjectRequests.Request r : page) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("kind", r.kind());
            m.put("subject", r.subject());
            m.put("requested_at", r.requestedAt().toString());
            m.put("requested_by", r.requestedBy());
            m.put("outcome", r.outcome());
            m.put("audit_index", r.auditIndex());
            data.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("next_before", page.size() == limit ? page.getLast().requestedAt().toEpochMilli() : null);
        return Reply.ok(out);
    }

    private static String subject(AdminCall call) {
        return ConsentApi.subjectId(call.body(4 * 1024, Set.of("subject")));
    }

    interface Audited<T> { T get() throws AuditUnavailableException; }

    /** The audit log refusing the proof entry is the same failure as refusing the "requested" entry: 503. */
    static <T> T unavailableAsProblem(Audited<T> action) {
        try {
            return action.get();
        } catch (AuditUnavailableException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the audit log is unavailable"));
        }
    }
}
