package dev.bastion.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.api.Access;
import dev.bastion.api.AdminCall;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.Reply;
import dev.bastion.audit.AdminOutcome;

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
    private final List<Path> datasetDirs;

    public EvaluationApi(Registry registry, Evaluations evaluations, Datasets datasets, List<Path> datasetDirs) {
        this.registry = registry;
        this.evaluations = evaluations;
        this.datasets = datasets;
        this.datasetDirs = List.copyOf(datasetDirs);
    }

    public void register(AdminRoutes routes) {
        Access read = Access.to("models.read");
        Access manage = Access.to("models.manage");
        routes.get(RegistryApi.BASE + "/{id}/evaluations", read, this::list);
        routes.post(RegistryApi.BASE + "/{id}/evaluations",
                manage.audited("model.evaluation.start", RegistryApi::target), this::start);
        routes.get(RegistryApi.BASE + "/{id}/evaluations/{run}", read, this::show);
        routes.get("/bastion/v1/datasets", read, this::datasets);
        routes.post("/bastion/v1/datasets", manage.audited("dataset.register"), this::registerDataset);
        routes.get("/bastion/v1/datasets/{id}", read, this::dataset);
    }

    private Reply list(AdminCall call) {
        RegistryEntry e = entry(call);
        return Reply.ok(Map.of("object", "list", "data",
                evaluations.forEntry(e.id()).stream().map(r -> RegistryViews.run(r, null)).toList()));
    }

    private Reply start(AdminCall call) {
        RegistryEntry e = entry(call);
        ObjectNode body = call.body(16L << 20, START);
        if (!(body.get("suite") instanceof ObjectNode suiteJson)) throw Registry.invalid("suite", "suite is an object");
        EvaluationSuite suite;
        try {
            suite = SuiteParser.parse(suiteJson);
        } catch (IllegalArgumentException ex) {
            throw Registry.invalid("suite", "suite: " + ex.getMessage());
        }
        Evaluations.Started s = evaluations.start(e.id(), suite, call.principal());
        Map<String, Object> out = RegistryViews.run(s.run(), null);
        out.put("alias", s.alias());
        out.put("done_items", s.done());
        out.put("resumed", s.resumed());
        out.put("max_tokens", suite.maxTokens());
        return Reply.json(s.resumed() ? 200 : 201, out);
    }

    private Reply show(AdminCall call) {
        RegistryEntry e = entry(call);
        var run = evaluations.find(call.pathParam("run")).filter(r -> r.entryId().equals(e.id()))
                .orElseThrow(() -> RegistryApi.notFound("no such evaluation run"));
        return Reply.ok(RegistryViews.run(run, evaluations.items(run.id())));
    }

    private Reply datasets(AdminCall call) {
        return Reply.ok(Map.of("object", "list", "data", datasets.list().stream().map(RegistryViews::dataset).toList()));
    }

    private Reply dataset(AdminCall call) {
        Dataset d = datasets.find(call.pathParam("id")).orElseThrow(Datasets::notFound);
        return Reply.ok(RegistryViews.dataset(d));
    }

    private Reply registerDataset(AdminCall call) {
        ObjectNode body = call.body(64 * 1024, DATASET);
        Path path = Fields.pathWithin(body, "path", datasetDirs);
        Dataset d = datasets.register(path, Fields.text(body, "name", 64, true), Fields.text(body, "source", 1000, true),
                Fields.text(body, "consent_basis", 32, true), Fields.sha256(body, "sha256"), call.principal());
        call.outcome(AdminOutcome.target("dataset:" + d.id()));
        return Reply.json(201, RegistryViews.dataset(d));
    }

    private RegistryEntry entry(AdminCall call) {
        return registry.find(call.pathParam("id")).orElseThrow(() -> RegistryApi.notFound("no such registry entry"));
    }
}
