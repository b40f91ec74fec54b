package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.api.Access;
import dev.bastion.api.AdminCall;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.JsonBodies;
import dev.bastion.api.Reply;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.http.Method;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /bastion/v1/models}: the registry — list, register (local file or remote backend model), detail, draft
 * metadata, card (JSON or Markdown, versioned), signature, approvals, history, and the lifecycle actions. Reading
 * needs {@code models.read}; registering, cards, deploy and retire {@code models.manage}; approve and revoke
 * {@code models.approve}. Each change is an audited admin action around the registry's own audit entry.
 */
public final class RegistryApi {
    static final String BASE = "/bastion/v1/models";
    private static final long MAX_BODY = 8L << 20;
    private static final Set<String> REGISTER = Set.of("source", "name", "path", "sha256", "licence", "source_url",
            "signature_bundle", "base", "dataset", "backend", "upstream_model", "expected_identity", "card");
    private static final Set<String> REASON = Set.of("reason");
    private static final Set<String> APPROVE = Set.of("override_reason");
    private static final Set<String> UPDATE = Set.of("licence", "source_url", "dataset");

    private final Registry registry;
    private final Lifecycle lifecycle;
    private final List<Path> modelDirs;

    public RegistryApi(Registry registry, Lifecycle lifecycle, List<Path> modelDirs) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.modelDirs = List.copyOf(modelDirs);
    }

    public void register(AdminRoutes routes) {
        Access read = Access.to("models.read");
        Access manage = Access.to("models.manage");
        Access approve = Access.to("models.approve");
        routes.get(BASE, read, this::list);
        routes.post(BASE, manage.audited("model.register"), this::create);
        routes.get(BASE + "/{id}", read, this::show);
        routes.route(Method.PATCH, BASE + "/{id}", manage.audited("model.update", RegistryApi::target), this::update);
        routes.get(BASE + "/{id}/card", read, this::card);
        routes.put(BASE + "/{id}/card", manage.audited("model.card", RegistryApi::target), this::updateCard);
        routes.post(BASE + "/{id}/signature", manage.audited("model.sign", RegistryApi::target), this::sign);
        routes.get(BASE + "/{id}/approvals", read, this::approvals);
        routes.get(BASE + "/{id}/history", read, this::history);
        routes.post(BASE + "/{id}/approve", approve.audited("model.approve", RegistryApi::target), this::approve);
        routes.post(BASE + "/{id}/deploy", manage.audited("model.deploy", RegistryApi::target), this::deploy);
        routes.post(BASE + "/{id}/retire", manage.audited("model.retire", RegistryApi::target), this::retire);
        routes.post(BASE + "/{id}/revoke", approve.audited("model.revoke", RegistryApi::target), this::revoke);
    }

    /** The audited target of an entry route: {@code model:<id>} when the id is well-formed. */
    static String target(AdminCall call) {
        String id = call.pathParam("id");
        return id != null && Ids.ID.matcher(id).matches() ? "model:" + id : null;
    }

    private Reply list(AdminCall call) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (RegistryEntry e : registry.list()) data.add(RegistryViews.entry(e));
        return Reply.ok(Map.of("object", "list", "data", data));
    }

    private Reply create(AdminCall call) {
        Principal who = call.principal();
        ObjectNode body = call.body(MAX_BODY, REGISTER);
        String source = Fields.text(body, "source", 16, true);
        ModelCard card = body.has("card") ? card(body.get("card")) : null;
        RegistryEntry e = switch (source) {
            case "local" -> {
                Path path = Fields.pathWithin(body, "path", modelDirs);
                JsonNode bundle = body.get("signature_bundle");
                byte[] bundleBytes = bundle == null || bundle.isNull() ? null : bundle.toString().getBytes(StandardCharsets.UTF_8);
                yield registry.registerLocal(new Registry.LocalRegistration(path, Fields.text(body, "name", 64, false),
                        Fields.text(body, "licence", 200, false), Fields.text(body, "source_url", 2000, false),
                        Fields.sha256(body, "sha256"), bundleBytes, Fields.text(body, "base", 80, false),
                        Fields.text(body, "dataset", 80, false)), who, (d, t) -> { });
            }
            case "remote" -> registry.registerRemote(new Registry.RemoteRegistration(Fields.text(body, "name", 64, true),
                    Fields.text(body, "backend", 128, true), Fields.text(body, "upstream_model", 256, true),
                    Fields.text(body, "expected_identity", 128, false), Fields.text(body, "licence", 200, false),
                    Fields.text(body, "source_url", 2000, false)), who);
            default -> throw Registry.invalid("source", "source is local or remote");
        };
        call.outcome(AdminOutcome.target("model:" + e.id()));
        if (card != null) registry.updateCard(e.id(), card, who);
        return Reply.json(201, RegistryViews.entry(registry.require(e.id())));
    }

    private Reply show(AdminCall call) {
        RegistryEntry e = entry(call);
        Map<String, Object> out = RegistryViews.entry(e);
        CardDocument card = registry.card(e.id()).orElseThrow();
        out.put("card", Map.of("version", card.version(), "digest", card.digest(),
                "missing", card.card().missing(), "risk", card.risk() == null ? "" : card.risk().wire()));
        int needed = card.risk() == null ? 1 : card.risk().approversNeeded();
        long current = registry.approvals(e.id()).stream().filter(a -> a.cardDigest().equals(card.digest())).count();
        out.put("approvals", Map.of("current_card", current, "needed", needed));
        return Reply.ok(out);
    }

    private Reply update(AdminCall call) {
        RegistryEntry e = entry(call);
        ObjectNode body = call.body(64 * 1024, UPDATE);
        RegistryEntry after = registry.updateDraft(e.id(), Fields.text(body, "licence", 200, false),
                Fields.text(body, "source_url", 2000, false), Fields.text(body, "dataset", 80, false), call.principal());
        return Reply.ok(RegistryViews.entry(after));
    }

    private Reply card(AdminCall call) {
        RegistryEntry e = entry(call);
        String v = call.query("version").orElse(null);
        CardDocument doc;
        if (v == null) {
            doc = registry.card(e.id()).orElseThrow();
        } else if (v.matches("[1-9][0-9]{0,8}")) {
            doc = registry.card(e.id(), Long.parseLong(v)).orElseThrow(() -> notFound("no such card version"));
        } else {
            throw Registry.invalid("version", "version is a positive integer");
        }
        String accept = call.exchange().header("Accept");
        boolean markdown = call.query("format").map("markdown"::equals).orElse(false)
                || accept != null && accept.contains("text/markdown");
        if (markdown) {
            return Reply.bytes(200, "text/markdown; charset=utf-8", doc.markdown().getBytes(StandardCharsets.UTF_8))
                    .header("X-Bastion-Card-Digest", doc.digest());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "model.card");
        out.put("version", doc.version());
        out.put("digest", doc.digest());
        out.put("document", doc.json());
        return Reply.ok(out).header("X-Bastion-Card-Digest", doc.digest());
    }

    private Reply updateCard(AdminCall call) {
        RegistryEntry e = entry(call);
        ModelCard card = card(call.body(256 * 1024));
        CardDocument doc = registry.updateCard(e.id(), card, call.principal());
        return Reply.ok(Map.of("object", "model.card", "version", doc.version(), "digest", doc.digest(),
                "missing", doc.card().missing()));
    }

    private Reply sign(AdminCall call) {
        RegistryEntry e = entry(call);
        byte[] bundle = call.body(SignatureVerifier.MAX_BUNDLE_BYTES).toString().getBytes(StandardCharsets.UTF_8);
        return Reply.ok(RegistryViews.entry(registry.attachSignature(e.id(), bundle, call.principal())));
    }

    private Reply approvals(AdminCall call) {
        RegistryEntry e = entry(call);
        return Reply.ok(Map.of("object", "list", "data",
                registry.approvals(e.id()).stream().map(RegistryViews::approval).toList()));
    }

    private Reply history(AdminCall call) {
        RegistryEntry e = entry(call);
        return Reply.ok(Map.of("object", "list", "data",
                registry.history(e.id()).stream().map(RegistryViews::step).toList()));
    }

    private Reply approve(AdminCall call) {
        RegistryEntry e = entry(call);
        String reason = Fields.text(optionalBody(call, APPROVE), "override_reason", 4000, false);
        Lifecycle.Approved a = lifecycle.approve(e.id(), call.principal(), reason);
        Map<String, Object> out = RegistryViews.entry(a.entry());
        out.put("approvals", Map.of("current_card", a.approvals(), "needed", a.needed()));
        out.put("replicas_confirmed", a.propagated());
        return Reply.ok(out);
    }

    private Reply deploy(AdminCall call) {
        return answer(lifecycle.deploy(entry(call).id(), call.principal()));
    }

    private Reply retire(AdminCall call) {
        RegistryEntry e = entry(call);
        String reason = Fields.text(optionalBody(call, REASON), "reason", 4000, false);
        return answer(lifecycle.retire(e.id(), call.principal(), reason));
    }

    private Reply revoke(AdminCall call) {
        RegistryEntry e = entry(call);
        String reason = Fields.text(optionalBody(call, REASON), "reason", 4000, true);
        return answer(lifecycle.revoke(e.id(), call.principal(), reason));
    }

    private static Reply answer(RegistryWriter.Committed<RegistryEntry> done) {
        Map<String, Object> out = RegistryViews.entry(done.value());
        out.put("replicas_confirmed", done.propagated());
        return Reply.ok(out);
    }

    /** A body that may be left out (sent as no body at all): an empty object then. */
    private static ObjectNode optionalBody(AdminCall call, Set<String> fields) {
        String length = call.exchange().header("Content-Length");
        if ("0".equals(length) || (length == null && call.exchange().header("Transfer-Encoding") == null)) {
            return JsonNodeFactory.instance.objectNode();
        }
        return call.body(64 * 1024, fields);
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

    private RegistryEntry entry(AdminCall call) {
        return registry.find(call.pathParam("id")).orElseThrow(() -> notFound("no such registry entry"));
    }

    static ProblemException notFound(String message) {
        return new ProblemException(ErrorCode.NOT_FOUND.problem(message));
    }
}
