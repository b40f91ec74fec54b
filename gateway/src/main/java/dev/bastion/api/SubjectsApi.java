package dev.bastion.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.privacy.AccessExport;
import dev.bastion.privacy.Erasure;
import dev.bastion.privacy.SubjectRequests;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Data-subject rights: {@code POST /bastion/v1/subjects/export} (right of access: a signed, offline-verifiable
 * bundle), {@code POST /bastion/v1/subjects/erase} (erasure: the subject's key is destroyed, the proof appended to
 * the audit log) and {@code GET /bastion/v1/subjects/requests} (the log of both). The shipped policy allows export
 * and erasure only under the {@code data-subject-request} purpose. The subject id is taken from the body and never
 * written to an audit record or log.
 */
public final class SubjectsApi {
    private final AccessExport export;
    private final Erasure erasure;
    private final SubjectRequests requests;
    private final AdminGuard guard;
    private final JsonBodies json;
    private final AdminAudit audit;

    public SubjectsApi(AccessExport export, Erasure erasure, SubjectRequests requests, AdminGuard guard,
                       JsonBodies json, AdminAudit audit) {
        this.export = export;
        this.erasure = erasure;
        this.requests = requests;
        this.guard = guard;
        this.json = json;
        this.audit = audit;
    }

    public void register(HttpRouting.Builder routing) {
        routing.post("/bastion/v1/subjects/export", Responses.guarded(this::export));
        routing.post("/bastion/v1/subjects/erase", Responses.guarded(this::erase));
        routing.get("/bastion/v1/subjects/requests", Responses.guarded(this::requests));
    }

    private void export(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "subjects.export");
        String subject = subject(req);
        Optional<ObjectNode> doc = audit.audited(req, who, "subject.export", null, () -> unavailableAsProblem(
                () -> export.export(subject, RequestIds.next(), who.id())), d -> new AdminAudit.Result(d.isPresent() ? "succeeded" : "nothing_held", null));
        if (doc.isEmpty()) {
            throw new ProblemException(ErrorCode.NOT_FOUND.problem("Bastion holds nothing under this subject id"));
        }
        Responses.json(res, 200, doc.get());
    }

    private void erase(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "subjects.erase");
        String subject = subject(req);
        String requestId = RequestIds.next();
        Erasure.Proof p = audit.audited(req, who, "subject.erase", null, () -> unavailableAsProblem(
                () -> erasure.erase(subject, Actor.of(who), requestId, req.remotePeer().host())),
                proof -> new AdminAudit.Result(proof.outcome(), null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "subject.erasure");
        out.put("request_id", requestId);
        out.put("outcome", p.outcome());
        out.put("key_id", p.keyId() < 0 ? null : Long.toString(p.keyId()));
        out.put("counts", p.counts());
        out.put("audit_index", p.auditIndex());
        if (p.propagation() != null) out.put("propagation", ConsentApi.propagation(p.propagation()));
        Responses.json(res, 200, out);
    }

    private void requests(ServerRequest req, ServerResponse res) {
        guard.require(req, "consent.read");
        int limit = Queries.limit(req, 100, 1000);
        long before = Queries.number(req, "before", Long.MAX_VALUE, 0, Long.MAX_VALUE);
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
        Responses.json(res, 200, out);
    }

    private String subject(ServerRequest req) {
        ObjectNode body = json.readObject(req, 4 * 1024);
        JsonBodies.onlyFields(body, Set.of("subject"));
        return ConsentApi.subjectId(body);
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
