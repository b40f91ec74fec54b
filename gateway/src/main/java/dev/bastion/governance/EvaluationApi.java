package dev.bastion.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.api.AdminAudit;
import dev.bastion.api.AdminGuard;
import dev.bastion.api.JsonBodies;
import dev.bastion.api.Responses;
import dev.bastion.identity.Principal;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluation runs ({@code /bastion/v1/models/{id}/evaluations}) and fine-tuning datasets ({@code /bastion/v1/datasets}).
 * Starting a run returns the alias to send items to and the items already done (a run resumes where it stopped).
 */
public final class EvaluationApi {
    private static final Set<String> START = Set.of("suite");
    private static final Set<String> DATASET = Set.of("name", "path", "sha256", "source", "consent_basis");

    private final Registry registry;
    private final Evaluations evaluations;
    private final Datasets datasets;
    private final AdminGuard guard;
    private final JsonBodies json;
    private final AdminAudit audit;
    private final List<Path> datasetDirs;

    public EvaluationApi(Registry registry, Evaluations evaluations, Datasets datasets, AdminGuard guard,
                         JsonBodies json, AdminAudit audit, List<Path> datasetDirs) {
        this.registry = registry;
        this.evaluations = evaluations;
        this.datasets = datasets;
        this.guard = guard;
        this.json = json;
        this.audit = audit;
        this.datasetDirs = List.copyOf(datasetDirs);
    }

    public void register(HttpRouting.Builder routing) {
        routing.get(RegistryApi.BASE + "/{id}/evaluations", Responses.guarded(this::list));
        routing.post(RegistryApi.BASE + "/{id}/evaluations", Responses.guarded(this::start));
        routing.get(RegistryApi.BASE + "/{id}/evaluations/{run}", Responses.guarded(this::show));
        routing.get("/bastion/v1/datasets", Responses.guarded(this::datasets));
        routing.post("/bastion/v1/datasets", Responses.guarded(this::registerDataset));
        routing.get("/bastion/v1/datasets/{id}", Responses.guarded(this::dataset));
    }

    private void list(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        RegistryEntry e = entry(req);
        Responses.json(res, 200, Map.of("object", "list", "data",
                evaluations.forEntry(e.id()).stream().map(r -> RegistryViews.run(r, null)).toList()));
    }

    private void start(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        RegistryEntry e = entry(req);
        ObjectNode body = json.readObject(req, 16L << 20);
        JsonBodies.onlyFields(body, START);
        if (!(body.get("suite") instanceof ObjectNode suiteJson)) throw Registry.invalid("suite", "suite is an object");
        EvaluationSuite suite;
        try {
            suite = SuiteParser.parse(suiteJson);
        } catch (IllegalArgumentException ex) {
            throw Registry.invalid("suite", "suite: " + ex.getMessage());
        }
        Evaluations.Started s = audit.audited(req, who, "model.evaluation.start", "model:" + e.id(),
                () -> evaluations.start(e.id(), suite, who));
        Map<String, Object> out = RegistryViews.run(s.run(), null);
        out.put("alias", s.alias());
        out.put("done_items", s.done());
        out.put("resumed", s.resumed());
        out.put("max_tokens", suite.maxTokens());
        Responses.json(res, s.resumed() ? 200 : 201, out);
    }

    private void show(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        RegistryEntry e = entry(req);
        var run = evaluations.find(req.path().pathParameters().get("run")).filter(r -> r.entryId().equals(e.id()))
                .orElseThrow(() -> RegistryApi.notFound("no such evaluation run"));
        Responses.json(res, 200, RegistryViews.run(run, evaluations.items(run.id())));
    }

    private void datasets(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        Responses.json(res, 200, Map.of("object", "list", "data", datasets.list().stream().map(RegistryViews::dataset).toList()));
    }

    private void dataset(ServerRequest req, ServerResponse res) {
        guard.require(req, "models.read");
        Dataset d = datasets.find(req.path().pathParameters().get("id")).orElseThrow(Datasets::notFound);
        Responses.json(res, 200, RegistryViews.dataset(d));
    }

    private void registerDataset(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "models.manage");
        ObjectNode body = json.readObject(req, 64 * 1024);
        JsonBodies.onlyFields(body, DATASET);
        Path path = Fields.pathWithin(body, "path", datasetDirs);
        String name = Fields.text(body, "name", 64, true);
        String source = Fields.text(body, "source", 1000, true);
        String basis = Fields.text(body, "consent_basis", 32, true);
        String sha = Fields.sha256(body, "sha256");
        Dataset d = audit.audited(req, who, "dataset.register", null,
                () -> datasets.register(path, name, source, basis, sha, who));
        Responses.json(res, 201, RegistryViews.dataset(d));
    }

    private RegistryEntry entry(ServerRequest req) {
        return registry.find(req.path().pathParameters().get("id"))
                .orElseThrow(() -> RegistryApi.notFound("no such registry entry"));
    }
}
