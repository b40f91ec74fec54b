package dev.bastion.console;

import dev.bastion.api.Access;
import dev.bastion.api.AdminCall;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.Reply;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Problem;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The console's pages, each registered as a route of Bastion's own API with the action of the area it shows, so the
 * policy that guards the API guards the page: a forbidden page is a 403 page, audited by the chain like any refusal.
 * The navigation lists only the areas the policy lets the viewer open.
 */
final class ConsolePages {
    /**
     * An area of the console: where it lives and the API action that opens it; {@code purpose} is the purpose the
     * area's actions are declared under (the navigation asks the policy about the action under that purpose), or null.
     */
    record Area(String path, String label, String action, String purpose, String blurb) {
        Area(String path, String label, String action, String blurb) { this(path, label, action, null, blurb); }
    }

    /** The purpose a data-subject request is answered under (export, erasure). */
    static final String SUBJECT_REQUEST = "data-subject-request";

    static final List<Area> AREAS = List.of(
            new Area("/console/", "Overview", "model.list", "who you are and the models you may use"),
            new Area("/console/dashboard", "Dashboards", "metrics.read", "requests, refusals, findings, tokens, latency, backends"),
            new Area("/console/audit", "Audit log", "audit.read", "search entries and verify them in this browser"),
            new Area("/console/policy", "Policy", "policy.read", "the policy in force, editor, simulator, diff and test"),
            new Area("/console/keys", "API keys", "keys.manage", "create and revoke keys"),
            new Area("/console/models", "Models", "models.read", "the model registry: cards, evaluations, approvals"),
            new Area("/console/collections", "Collections", "collections.read", "document collections for retrieval: rules, documents, uploads"),
            new Area("/console/consents", "Consents", "consent.read", "look up, grant and withdraw a subject's consents"),
            new Area("/console/subjects", "Data subjects", "subjects.export", SUBJECT_REQUEST,
                    "answer access and erasure requests; the request log"));

    private final PolicyHolder policies;
    private final Supplier<String> verifierKey;
    private final boolean verifierKeyConfigured;

    /**
     * @param verifierKey the C2SP verifier key audit pages check checkpoints with
     * @param configured  whether it came from the configuration (else it is the log's own, served by this server)
     */
    ConsolePages(PolicyHolder policies, Supplier<String> verifierKey, boolean configured) {
        this.policies = policies;
        this.verifierKey = verifierKey;
        this.verifierKeyConfigured = configured;
    }

    void register(AdminRoutes api) {
        AdminRoutes pages = api.pages(ConsolePages::problemPage, e -> e.put(Sessions.Navigation.class, new Sessions.Navigation()));
        pages.get("/console/", Access.to("model.list"), this::home);
        pages.get("/console/dashboard", Access.to("metrics.read"), call -> page(call, "Dashboards", "dashboard",
                "plot.js,dashboard.js", Map.of(), PageBodies.dashboard()));
        pages.get("/console/audit", Access.to("audit.read"), call -> page(call, "Audit log", "audit", "tlog.js,audit.js",
                auditMeta(), PageBodies.audit(subjectSearchPurposes(call))));
        pages.get("/console/audit/entries/{index}", Access.to("audit.read"), this::entry);
        pages.get("/console/policy", Access.to("policy.read"), call -> page(call, "Policy", "policy", "policy.js",
                Map.of(), PageBodies.policy()));
        pages.get("/console/keys", Access.to("keys.manage"), call -> page(call, "API keys", "keys", "keys.js",
                Map.of(), PageBodies.keys()));
        pages.get("/console/models", Access.to("models.read"), call -> page(call, "Models", "models", "models.js",
                Map.of(), PageBodies.models()));
        pages.get("/console/models/{id}", Access.to("models.read"), this::model);
        pages.get("/console/collections", Access.to("collections.read"), call -> page(call, "Collections", "collections",
                "collections.js", Map.of(), PageBodies.collections()));
        pages.get("/console/consents", Access.to("consent.read"), call -> page(call, "Consents", "consents", "privacy.js",
                Map.of(), PageBodies.consents(policies.current().purposes(), allows(call, "consent.manage", null))));
        // a page view declares no purpose: the page opens with what it reads without one (the request log); export
        // and erasure are API calls the script makes under the data-subject-request purpose
        pages.get("/console/subjects", Access.to("consent.read"), call -> page(call, "Data subjects", "subjects",
                "privacy.js", Map.of("subject-purpose", SUBJECT_REQUEST), PageBodies.subjects()));
    }

    private Reply home(AdminCall call) {
        Principal p = call.principal();
        StringBuilder areas = new StringBuilder("<ul class=\"areas\">");
        for (Area a : allowed(call)) {
            if (a.path().equals("/console/")) continue;
            areas.append("<li><a href=\"").append(a.path()).append("\">").append(Html.esc(a.label()))
                    .append("</a> — ").append(Html.esc(a.blurb())).append("</li>");
        }
        areas.append("</ul>");
        Sessions.Current s = call.exchange().get(Sessions.Current.class);
        String main = "<h1>Overview</h1><p>Signed in as <strong id=\"principal\">" + Html.esc(p.id())
                + "</strong> with roles <span id=\"roles\">" + Html.esc(String.join(", ", p.roles().stream().sorted().toList()))
                + "</span> (" + Html.esc(p.method().wireName()) + ")"
                + (s == null ? "" : ", session until <time datetime=\"" + s.expiresAt() + "\">" + s.expiresAt() + "</time>")
                + ".</p><h2>Areas you may open</h2>" + areas
                + PageBodies.home();
        return page(call, "Overview", "home", null, Map.of(), main);
    }

    private Reply entry(AdminCall call) {
        String index = call.pathParam("index");
        if (!index.matches("0|[1-9][0-9]{0,17}")) throw new dev.bastion.pipeline.ProblemException(
                ErrorCode.NOT_FOUND.problem("no such audit entry"));
        Map<String, String> meta = new LinkedHashMap<>(auditMeta());
        meta.put("entry-index", index);
        return page(call, "Audit entry " + index, "entry", "tlog.js,audit.js", meta, PageBodies.entry(index));
    }

    private Reply model(AdminCall call) {
        String id = call.pathParam("id");
        if (!id.matches("[A-Za-z0-9._:-]{1,128}")) throw new dev.bastion.pipeline.ProblemException(
                ErrorCode.NOT_FOUND.problem("no such model"));
        return page(call, "Model " + id, "model", "models.js", Map.of("model-id", id), PageBodies.model(id));
    }

    private Map<String, String> auditMeta() {
        return Map.of("audit-verifier-key", verifierKey.get(),
                "audit-verifier-source", verifierKeyConfigured ? "configured" : "server");
    }

    private Reply page(AdminCall call, String title, String id, String script, Map<String, String> meta, String main) {
        Map<String, String> m = new LinkedHashMap<>(meta);
        Sessions.Current s = call.exchange().get(Sessions.Current.class);
        if (s != null) m.put("csrf-token", s.csrf().value());
        return Html.reply(200, Html.page(title, id, script, m, header(call, s), main));
    }

    /** The areas the policy lets this caller open, decided as their API routes decide them. */
    private List<Area> allowed(AdminCall call) {
        return AREAS.stream().filter(a -> allows(call, a.action(), a.purpose())).toList();
    }

    /** Whether the policy lets this caller do {@code action} on its area, declaring {@code purpose} (or none: null). */
    private boolean allows(AdminCall call, String action, String purpose) {
        RequestFacts f = call.policyFacts();
        if (purpose != null) f = new RequestFacts(purpose, f.subjects(), f.classification(), f.clientIp(), f.time(),
                f.findings(), f.consent());
        return policies.decide(new PolicyRequest(call.principal(), Authorization.action(action),
                Access.to(action).resource(), f)).allowed();
    }

    /** The declared purposes under which the policy lets this viewer search the audit log by a subject's id. */
    private List<String> subjectSearchPurposes(AdminCall call) {
        return policies.current().purposes().stream().sorted().filter(p -> allows(call, "audit.subject.read", p)).toList();
    }

    private String header(AdminCall call, Sessions.Current session) {
        StringBuilder b = new StringBuilder("<header class=\"top\"><a class=\"brand\" href=\"/console/\">Bastion</a>")
                .append("<nav aria-label=\"Console areas\"><ul>");
        String here = call.path();
        for (Area a : allowed(call)) {
            boolean current = here.equals(a.path()) || (!a.path().equals("/console/") && here.startsWith(a.path() + "/"));
            b.append("<li><a href=\"").append(a.path()).append("\"").append(current ? " aria-current=\"page\"" : "")
                    .append(">").append(Html.esc(a.label())).append("</a></li>");
        }
        b.append("</ul></nav><div class=\"who\"><span class=\"principal\">").append(Html.esc(call.principal().id()))
                .append("</span><button type=\"button\" id=\"theme-toggle\" aria-pressed=\"false\">Dark theme</button>");
        if (session != null) {
            b.append("<form method=\"post\" action=\"/console/logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
                    .append(Html.esc(session.csrf().value())).append("\"><button type=\"submit\">Sign out</button></form>");
        }
        return b.append("</div></header>").toString();
    }

    /**
     * A refusal of a page, for a browser: no session → to the sign-in page; anything else → a page that says what
     * happened and quotes the request id (the audit record's). Clients that do not ask for HTML get the JSON problem.
     */
    static Reply problemPage(Exchange exchange, Problem problem) {
        String accept = exchange.header("Accept");
        if (accept == null || !accept.contains("text/html")) return null;
        if (problem.status() == 401) {
            return Html.reply(303, "").header("Location", "/console/login");
        }
        String title = switch (problem.status()) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 503 -> "Unavailable";
            default -> "Refused";
        };
        String main = "<h1>" + title + "</h1><p class=\"problem\" id=\"problem\" data-code=\"" + Html.esc(problem.code().code())
                + "\">" + Html.esc(problem.message()) + "</p><p>Status " + problem.status() + ", code <code>"
                + Html.esc(problem.code().code()) + "</code>, request id <code id=\"request-id\">"
                + Html.esc(exchange.requestId()) + "</code> (quote it to an auditor: the refusal is in the audit log)."
                + "</p><p><a href=\"/console/\">Back to the overview</a></p>";
        String header = "<header class=\"top\"><a class=\"brand\" href=\"/console/\">Bastion</a></header>";
        return Html.reply(problem.status(), Html.page(title, "problem", null, Map.of(), header, main));
    }
}
