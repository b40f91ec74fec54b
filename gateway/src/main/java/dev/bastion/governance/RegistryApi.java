package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.api.AdminAudit;
import dev.bastion.api.AdminGuard;
import dev.bastion.api.JsonBodies;
import dev.bastion.api.Responses;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /bastion/v1/models}: the registry — list, register (local file or remote backend model), detail, card
 * (JSON or Markdown, versioned), signature, approvals, history, and the lifecycle actions. Reading needs
 * {@code models.read}; registering, cards, deploy and retire {@code models.manage}; approve and revoke
 * {@code models.approve}. Every change is recorded by {@link AdminAudit} around the registry's own audit entry.
 */
public final class RegistryApi {
    static final String BASE = "/bastion/v1/models";
    private static final long MAX_BODY = 8L << 20;
    private static final Set<String> REGISTER = Set.of("source", "name", "path", "sha256", "licence", "source_url",
            "signature_bundle", "base", "dataset", "backend", "upstream_model", "expected_identity", "card");
    private static final Set<String> REASON = Set.of("reason");
    private static final Set<String> UPDATE = Set.of("licence", "source_url", "dataset");
    private static final Set<String> APPROVE = Set.of("override_reason");

    private final Registry registry;
    private final Lifecycle lifecycle;
    private final AdminGuard guard;
    private final JsonBodies json;
    private final AdminAudit audit;
    private final List<Path> modelDirs;

    public RegistryApi(Registry registry, Lifecycle lifecycle, AdminGuard guard, JsonBodies json, AdminAudit audit,
                       List<Path> modelDirs) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.guard = guard;
        this.json = json;
        this.audit = audit;
        this.modelDirs = List.copyOf(modelDirs);
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(BASE, Responses.guarded(this::list));
        routing.post(BASE, Responses.guarded(this::create));
        routing.get(BASE + "/{id}", Responses.guarded(this::show));
        routing.patch(BASE + "/{id}", Responses.guarded(this::update));
        routing.get(BASE + "/{id}/card", Responses.guarded(this::card));
        routing.put(BASE + "/{id}/card", Responses.guarded(this::updateCard));
        routing.post(BASE + "/{id}/signature", Responses.guarded(this::sign));
        routing.get(BASE + "/{id}/approvals", Responses.guarded(this::approvals));
        routing.get(BASE + "/{id}/history", Responses.guarded(this::history));
        routing.post(BASE + "/{id}/approve", Responses.guarded(this::approve));
        routing.post(BASE + "/{id}/deploy", Responses.guarded(this::deploy));
        routing.post(BASE + "/{id}/retire", Responses.guarded(this::retire));
        routing.post(BASE + "/{id}/revoke", Responses.guarded(this::revoke));
    }

    private void list(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        List<Map<String, Object>> data = new ArrayList<>();
        for (RegistryEntry e : registry.list()) data.add(RegistryViews.entry(e));
        Responses.json(res, 200, Map.of("object", "list", "data", data));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        ObjectNode body = json.readObject(req, MAX_BODY);
        JsonBodies.onlyFields(body, REGISTER);
        String source = Fields.text(body, "source", 16, true);
        ModelCard card = body.has("card") ? card(body.get("card")) : null;
        RegistryEntry e = switch (source) {
            case "local" -> {
                Path path = Fields.pathWithin(body, "path", modelDirs);
                JsonNode bundle = body.get("signature_bundle");
                byte[] bundleBytes = bundle == null || bundle.isNull() ? null : bundle.toString().getBytes(StandardCharsets.UTF_8);
                var r = new Registry.LocalRegistration(path, Fields.text(body, "name", 64, false),
                        Fields.text(body, "licence", 200, false), Fields.text(body, "source_url", 2000, false),
                        Fields.sha256(body, "sha256"), bundleBytes, Fields.text(body, "base", 80, false),
                        Fields.text(body, "dataset", 80, false));
                yield audit.audited(req, who, "model.register", null, () -> registry.registerLocal(r, who, (d, t) -> { }));
            }
            case "remote" -> {
                var r = new Registry.RemoteRegistration(Fields.text(body, "name", 64, true),
                        Fields.text(body, "backend", 128, true), Fields.text(body, "upstream_model", 256, true),
                        Fields.text(body, "expected_identity", 128, false), Fields.text(body, "licence", 200, false),
                        Fields.text(body, "source_url", 2000, false));
                yield audit.audited(req, who, "model.register", null, () -> registry.registerRemote(r, who));
            }
            default -> throw Registry.invalid("source", "source is local or remote");
        };
        if (card != null) {
            audit.audited(req, who, "model.card", "model:" + e.id(), () -> registry.updateCard(e.id(), card, who));
        }
        Responses.json(res, 201, RegistryViews.entry(registry.require(e.id())));
    }

    private void show(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        RegistryEntry e = entry(req);
        Map<String, Object> out = RegistryViews.entry(e);
        CardDocument card = registry.card(e.id()).orElseThrow();
        out.put("card", Map.of("version", card.version(), "digest", card.digest(),
                "missing", card.card().missing(), "risk", card.risk() == null ? "" : card.risk().wire()));
        int needed = card.risk() == null ? 1 : card.risk().approversNeeded();
        long current = registry.approvals(e.id()).stream().filter(a -> a.cardDigest().equals(card.digest())).count();
        out.put("approvals", Map.of("current_card", current, "needed", needed));
        Responses.json(res, 200, out);
    }

    private void update(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        RegistryEntry e = entry(req);
        ObjectNode body = json.readObject(req, 64 * 1024);
        JsonBodies.onlyFields(body, UPDATE);
        String licence = Fields.text(body, "licence", 200, false);
        String sourceUrl = Fields.text(body, "source_url", 2000, false);
        String dataset = Fields.text(body, "dataset", 80, false);
        RegistryEntry after = audit.audited(req, who, "model.update", "model:" + e.id(),
                () -> registry.updateDraft(e.id(), licence, sourceUrl, dataset, who));
        Responses.json(res, 200, RegistryViews.entry(after));
    }

    private void card(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        RegistryEntry e = entry(req);
        String v = req.query().first("version").orElse(null);
        CardDocument doc;
        if (v == null) {
            doc = registry.card(e.id()).orElseThrow();
        } else if (v.matches("[1-9][0-9]{0,8}")) {
            doc = registry.card(e.id(), Long.parseLong(v)).orElseThrow(() -> notFound("no such card version"));
        } else {
            throw Registry.invalid("version", "version is a positive integer");
        }
        boolean markdown = req.query().first("format").map("markdown"::equals).orElse(false)
                || req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/markdown")).orElse(false);
        res.header("X-Bastion-Card-Digest", doc.digest());
        if (markdown) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "text/markdown; charset=utf-8");
            res.send(doc.markdown().getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "model.card");
        out.put("version", doc.version());
        out.put("digest", doc.digest());
        out.put("document", doc.json());
        Responses.json(res, 200, out);
    }

    private void updateCard(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        RegistryEntry e = entry(req);
        ObjectNode body = json.readObject(req, 256 * 1024);
        ModelCard card = card(body);
        CardDocument doc = audit.audited(req, who, "model.card", "model:" + e.id(), () -> registry.updateCard(e.id(), card, who));
        Responses.json(res, 200, Map.of("object", "model.card", "version", doc.version(), "digest", doc.digest(),
                "missing", doc.card().missing()));
    }

    private void sign(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        RegistryEntry e = entry(req);
        ObjectNode bundle = json.readObject(req, SignatureVerifier.MAX_BUNDLE_BYTES);
        byte[] bytes = bundle.toString().getBytes(StandardCharsets.UTF_8);
        RegistryEntry signed = audit.audited(req, who, "model.sign", "model:" + e.id(),
                () -> registry.attachSignature(e.id(), bytes, who));
        Responses.json(res, 200, RegistryViews.entry(signed));
    }

    private void approvals(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        RegistryEntry e = entry(req);
        Responses.json(res, 200, Map.of("object", "list", "data",
                registry.approvals(e.id()).stream().map(RegistryViews::approval).toList()));
    }

    private void history(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        RegistryEntry e = entry(req);
        Responses.json(res, 200, Map.of("object", "list", "data",
                registry.history(e.id()).stream().map(RegistryViews::step).toList()));
    }

    private void approve(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.approve");
        RegistryEntry e = entry(req);
        ObjectNode body = optionalBody(req);
        JsonBodies.onlyFields(body, APPROVE);
        String reason = Fields.text(body, "override_reason", 4000, false);
        Lifecycle.Approved a = audit.audited(req, who, "model.approve", "model:" + e.id(),
                () -> lifecycle.approve(e.id(), who, reason));
        Map<String, Object> out = RegistryViews.entry(a.entry());
        out.put("approvals", Map.of("current_card", a.approvals(), "needed", a.needed()));
        out.put("replicas_confirmed", a.propagated());
        Responses.json(res, 200, out);
    }

    private void deploy(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        RegistryEntry e = entry(req);
        answer(res, audit.audited(req, who, "model.deploy", "model:" + e.id(), () -> lifecycle.deploy(e.id(), who)));
    }

    private void retire(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        RegistryEntry e = entry(req);
        ObjectNode body = optionalBody(req);
        JsonBodies.onlyFields(body, REASON);
        String reason = Fields.text(body, "reason", 4000, false);
        answer(res, audit.audited(req, who, "model.retire", "model:" + e.id(), () -> lifecycle.retire(e.id(), who, reason)));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.approve");
        RegistryEntry e = entry(req);
        ObjectNode body = optionalBody(req);
        JsonBodies.onlyFields(body, REASON);
        String reason = Fields.text(body, "reason", 4000, true);
        answer(res, audit.audited(req, who, "model.revoke", "model:" + e.id(), () -> lifecycle.revoke(e.id(), who, reason)));
    }

    private static void answer(ServerResponse res, RegistryWriter.Committed<RegistryEntry> done) {
        Map<String, Object> out = RegistryViews.entry(done.value());
        out.put("replicas_confirmed", done.propagated());
        Responses.json(res, 200, out);
    }

    private ObjectNode optionalBody(ServerRequest req) {
        if (req.headers().contentLength().orElse(0) == 0 && !req.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
            return json.mapper().createObjectNode();
        }
        return json.readObject(req, 64 * 1024);
    }

    private static ModelCard card(JsonNode body) {
        if (!(body instanceof ObjectNode o)) throw Registry.invalid("card", "the card is an object");
        JsonBodies.onlyFields(o, ModelCard.FIELDS);
        try {
            return ModelCard.parse(o);
        } catch (IllegalArgumentException e) {
            throw Registry.invalid(e.getMessage().substring(0, e.getMessage().indexOf(':')), e.getMessage());
        }
    }

    private RegistryEntry entry(ServerRequest req) {
        return registry.find(req.path().pathParameters().get("id")).orElseThrow(() -> notFound("no such registry entry"));
    }

    static ProblemException notFound(String message) {
        return new ProblemException(ErrorCode.NOT_FOUND.problem(message));
    }
}
