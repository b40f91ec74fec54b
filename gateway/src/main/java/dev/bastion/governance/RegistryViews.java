package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the registry API (entries, approvals, history, runs, datasets). */
final class RegistryViews {
    private RegistryViews() {}

    static Map<String, Object> entry(RegistryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("object", "registry.entry");
        m.put("name", e.name());
        m.put("kind", e.kind() == RegistryEntry.Kind.ADAPTER ? "adapter" : "model");
        m.put("source", e.isLocal() ? "local" : "remote");
        m.put("state", e.state().wire());
        m.put("routable", e.state().routable());
        m.put("artifact_digest", e.artifactDigest());
        if (e.isLocal()) {
            RegistryEntry.Artifact a = e.artifact();
            Map<String, Object> art = new LinkedHashMap<>();
            art.put("sha256", a.sha256());
            art.put("size_bytes", a.sizeBytes());
            art.put("format", a.format());
            art.put("path", a.path().toString());
            art.put("architecture", a.architecture());
            art.put("quantization", a.quantization());
            art.put("context_length", a.contextLength());
            art.put("tokenizer", a.tokenizer());
            m.put("artifact", art);
        } else {
            m.put("remote", Map.of("backend", e.remote().backend(), "upstream_model", e.remote().upstreamModel(),
                    "expected_identity", e.remote().expectedIdentity() == null ? "" : e.remote().expectedIdentity()));
        }
        m.put("licence", e.licence());
        m.put("source_url", e.sourceUrl());
        m.put("base", e.baseId());
        m.put("dataset", e.datasetId());
        m.put("signature", e.signature() == null ? null : signature(e.signature()));
        m.put("submitted_by", e.submittedBy());
        m.put("created_at", e.createdAt().toString());
        m.put("updated_at", e.updatedAt().toString());
        m.put("row_version", e.rowVersion());
        return m;
    }

    static Map<String, Object> signature(SignatureCheck s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verified", true);
        m.put("method", s.method());
        m.put("signer", s.signer());
        m.put("signer_name", s.signerName());
        m.put("subject_name", s.subjectName());
        m.put("bundle_digest", s.bundleDigest());
        m.put("checked_at", s.checkedAt().toString());
        return m;
    }

    static Map<String, Object> approval(CardStore.Approval a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("approver", a.approver());
        m.put("card_digest", a.cardDigest());
        m.put("artifact_digest", a.artifactDigest());
        m.put("evidence", a.evidence());
        m.put("override_reason", a.overrideReason());
        m.put("at", a.at().toString());
        return m;
    }

    static Map<String, Object> step(EntryStore.Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", s.seq());
        m.put("action", s.action());
        m.put("from", s.fromState());
        m.put("to", s.toState());
        m.put("actor", s.actor());
        m.put("at", s.at().toString());
        m.put("reason", s.reason());
        m.put("evidence", s.evidence());
        return m;
    }

    static Map<String, Object> run(EvaluationStore.Run r, Map<Integer, JsonNode> items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("object", "evaluation.run");
        m.put("entry", r.entryId());
        m.put("suite", r.suiteName());
        m.put("kind", r.kind());
        m.put("suite_digest", r.suiteDigest());
        m.put("status", r.status());
        m.put("items", r.itemCount());
        long done = items == null ? 0 : items.values().stream().filter(i -> !i.path("status").asText().equals("error")).count();
        m.put("done", done);
        m.put("started_by", r.startedBy());
        m.put("started_at", r.startedAt().toString());
        m.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
        m.put("summary", r.summary());
        if (items != null) {
            List<Object> results = new ArrayList<>();
            items.forEach((i, res) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", i);
                row.put("id", r.suite().path("items").path(i).path("id").asText());
                row.put("result", res);
                results.add(row);
            });
            m.put("results", results);
        }
        return m;
    }

    static Map<String, Object> dataset(Dataset d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("object", "registry.dataset");
        m.put("name", d.name());
        m.put("sha256", d.sha256());
        m.put("size_bytes", d.sizeBytes());
        m.put("path", d.path().toString());
        m.put("source", d.source());
        m.put("consent_basis", d.consentBasis());
        m.put("pii_report", Map.of("records", d.records(), "records_with_pii", d.piiRecords(), "by_type", d.piiByType()));
        m.put("registered_by", d.registeredBy());
        m.put("registered_at", d.registeredAt().toString());
        return m;
    }
}
