package dev.bastion.rag;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.api.Access;
import dev.bastion.api.AdminCall;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.Reply;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Resource;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval over HTTP (docs/rag.md "API"): collections ({@code collections.read}, {@code collections.manage}),
 * documents ({@code documents.manage} to add or delete; listing shows metadata, never text) and
 * {@code POST /bastion/v1/retrieve} ({@code documents.retrieve}: passages with citations, permission-filtered).
 */
final class RagApi {
    private static final Resource AREA = Resource.admin("collections", "*");
    private static final int MAX_META = 64 * 1024;

    private final Collections collections;
    private final Documents documents;
    private final Ingestor ingestor;
    private final Retriever retriever;
    private final Runnable changed;
    private final long maxDocumentBytes;
    private final boolean embeddings;
    private final Clock clock;

    RagApi(Collections collections, Documents documents, Ingestor ingestor, Retriever retriever, Runnable changed,
           long maxDocumentBytes, boolean embeddings, Clock clock) {
        this.collections = collections;
        this.documents = documents;
        this.ingestor = ingestor;
        this.retriever = retriever;
        this.changed = changed;
        this.maxDocumentBytes = maxDocumentBytes;
        this.embeddings = embeddings;
        this.clock = clock;
    }

    void register(AdminRoutes routes) {
        routes.get("/bastion/v1/collections", Access.to("collections.read").on(AREA), this::list);
        routes.post("/bastion/v1/collections", Access.to("collections.manage").on(AREA)
                .audited("collection.create"), this::create);
        routes.get("/bastion/v1/collections/{name}", Access.to("collections.read").on(AREA), this::show);
        routes.put("/bastion/v1/collections/{name}", Access.to("collections.manage").on(AREA)
                .audited("collection.update", c -> "collection:" + c.pathParam("name")), this::update);
        routes.delete("/bastion/v1/collections/{name}", Access.to("collections.manage").on(AREA)
                .audited("collection.delete", c -> "collection:" + c.pathParam("name")), this::delete);
        routes.get("/bastion/v1/collections/{name}/documents", Access.to("collections.read").on(AREA), this::documents);
        routes.post("/bastion/v1/collections/{name}/documents", Access.to("documents.manage").on(AREA)
                .audited("document.add", c -> "collection:" + c.pathParam("name")), this::add);
        routes.get("/bastion/v1/collections/{name}/documents/{id}", Access.to("collections.read").on(AREA),
                this::document);
        routes.delete("/bastion/v1/collections/{name}/documents/{id}", Access.to("documents.manage").on(AREA)
                .audited("document.delete", c -> "document:" + c.pathParam("id")), this::deleteDocument);
        routes.post("/bastion/v1/retrieve", Access.to("documents.retrieve").on(AREA), this::retrieve);
    }

    private Reply list(AdminCall call) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Collection c : collections.list()) out.add(view(c));
        return Reply.ok(Map.of("collections", out));
    }

    private Reply show(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        Map<String, Object> v = view(c);
        v.putAll(documents.counts(c.name()));
        return Reply.ok(v);
    }

    private Reply create(AdminCall call) {
        ObjectNode b = call.body(MAX_META, Set.of("name", "owner", "classification", "access", "personal_data",
                "retention_days"));
        String name = Fields.required(b, "name", 63);
        if (!Collection.NAME.matcher(name).matches()) {
            throw Fields.invalid("name", "lower-case letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit)");
        }
        Collection c = new Collection(name, Fields.string(b, "owner", call.principal().id(), 256),
                Fields.required(b, "classification", 128), Fields.access(b, "access"),
                personalData(Fields.string(b, "personal_data", "pseudonymise", 32)),
                Fields.integer(b, "retention_days", 0, 0, 36_500), clock.millis(), call.principal().id());
        collections.create(c);
        changed.run();
        call.outcome(AdminOutcome.target("collection:" + name));
        return Reply.json(201, view(c));
    }

    private Reply update(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        ObjectNode b = call.body(MAX_META, Set.of("owner", "access", "retention_days"));
        Collection next = new Collection(c.name(), Fields.string(b, "owner", c.owner(), 256), c.classification(),
                b.has("access") ? Fields.access(b, "access") : c.access(), c.personalData(),
                Fields.integer(b, "retention_days", c.retentionDays(), 0, 36_500), c.createdAt(), c.createdBy());
        collections.replace(next);
        changed.run();
        return Reply.ok(view(next));
    }

    private Reply delete(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        List<DocumentRecord> docs = documents.list(c.name());
        documents.delete(docs);
        collections.remove(c.name());
        changed.run();
        return Reply.ok(Map.of("deleted", c.name(), "documents", docs.size()));
    }

    private Reply documents(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (DocumentRecord d : documents.list(c.name())) out.add(view(d));
        return Reply.ok(Map.of("documents", out));
    }

    private Reply document(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        return Reply.ok(view(documents.require(c.name(), call.pathParam("id"))));
    }

    private Reply add(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        ObjectNode b = call.body(maxDocumentBytes * 4 / 3 + MAX_META, Set.of("source", "format", "content_base64",
                "text", "classification", "acl", "subjects", "embed"));
        String source = Fields.required(b, "source", 512);
        byte[] bytes = content(b);
        if (bytes.length > maxDocumentBytes) {
            throw new ProblemException(ErrorCode.BODY_TOO_LARGE.problem("document larger than rag.max-document-size"));
        }
        List<String> subjects = Fields.labels(b, "subjects");
        boolean embed = Fields.bool(b, "embed", embeddings);
        if (embed && !embeddings) throw Fields.invalid("embed", "false: embeddings are off (rag.embeddings: none)");
        Ingestor.Ingested r = ingestor.ingest(c, new Ingestor.Upload(source, Fields.string(b, "format", null, 16), bytes,
                Fields.string(b, "classification", null, 128), Fields.acl(b, "acl"),
                subjects == null ? List.of() : subjects, embed, call.principal().id()),
                new Ingestor.Uploader(call.principal(), call.policyFacts()));
        if (!r.duplicate()) changed.run();
        call.outcome(AdminOutcome.target("document:" + r.document().id()));
        Map<String, Object> v = view(r.document());
        v.put("duplicate", r.duplicate());
        return Reply.json(r.duplicate() ? 200 : 201, v);
    }

    private static byte[] content(ObjectNode b) {
        String base64 = Fields.string(b, "content_base64", null, Integer.MAX_VALUE);
        String text = Fields.string(b, "text", null, Integer.MAX_VALUE);
        if ((base64 == null) == (text == null)) {
            throw new ProblemException(ErrorCode.MISSING_FIELD.problem("one of content_base64 or text is required",
                    "content_base64"));
        }
        if (text != null) return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Fields.invalid("content_base64", "base64");
        }
    }

    private Reply deleteDocument(AdminCall call) {
        Collection c = collections.require(call.pathParam("name"));
        DocumentRecord d = documents.require(c.name(), call.pathParam("id"));
        documents.delete(List.of(d));
        changed.run();
        return Reply.ok(Map.of("deleted", d.id(), "digest", d.digest(), "index", "removed from results; "
                + "expunged from the index files in the background"));
    }

    private Reply retrieve(AdminCall call) {
        ObjectNode b = call.body(MAX_META, Set.of("query", "collections", "top_k"));
        String query = Fields.required(b, "query", 8_192);
        List<String> names = Fields.labels(b, "collections");
        if (names == null || names.isEmpty()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD.problem("collections is required", "collections"));
        }
        if (names.size() > Retriever.MAX_COLLECTIONS) throw Fields.invalid("collections", "at most " + Retriever.MAX_COLLECTIONS);
        int k = Fields.integer(b, "top_k", 5, 1, Retriever.MAX_TOP_K);
        Retriever.Result r = retriever.retrieve(new Retriever.Query(call.principal(), call.policyFacts(), names, query, k,
                null, null, call.requestId(), Authorization.ipLiteral(call.exchange().clientAddress())));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Retriever.Passage p : r.passages()) {
            Map<String, Object> m = Citations.of(p);
            m.put("text", p.text());
            out.add(m);
        }
        return Reply.ok(Map.of("passages", out, "unavailable", r.unavailable()));
    }

    private static Collection.PersonalData personalData(String s) {
        try {
            return Collection.PersonalData.parse(s);
        } catch (IllegalArgumentException e) {
            throw Fields.invalid("personal_data", "store, pseudonymise or refuse");
        }
    }

    static Map<String, Object> view(Collection c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("owner", c.owner());
        m.put("classification", c.classification());
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("roles", c.access().roles());
        if (c.access().purposes() != null) access.put("purposes", c.access().purposes());
        if (!c.access().when().isEmpty()) access.put("when", c.access().when());
        m.put("access", access);
        m.put("personal_data", c.personalData().wire());
        m.put("retention_days", c.retentionDays());
        m.put("created_at", Instant.ofEpochMilli(c.createdAt()).toString());
        m.put("created_by", c.createdBy());
        return m;
    }

    static Map<String, Object> view(DocumentRecord d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("collection", d.collection());
        m.put("source", d.source());
        m.put("digest", d.digest());
        m.put("format", d.format());
        m.put("classification", d.classification());
        Map<String, Object> acl = new LinkedHashMap<>();
        if (!d.acl().roles().isEmpty()) acl.put("roles", d.acl().roles());
        if (!d.acl().principals().isEmpty()) acl.put("principals", d.acl().principals());
        if (!d.acl().attributes().isEmpty()) acl.put("attributes", d.acl().attributes());
        m.put("acl", acl);
        m.put("subjects", d.subjects().size());
        m.put("findings", d.findings());
        m.put("personal_data", d.personalData());
        m.put("pages", d.pages());
        m.put("chunks", d.chunks());
        m.put("embedded", d.embedded());
        m.put("bytes", d.bytes());
        m.put("added_at", Instant.ofEpochMilli(d.addedAt()).toString());
        m.put("added_by", d.addedBy());
        if (d.expiresAt() != 0) m.put("expires_at", Instant.ofEpochMilli(d.expiresAt()).toString());
        return m;
    }
}
