package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.policy.Resource;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Registers the routes of Bastion's own API, each with its {@link Access}, onto one of the {@link AdminChains}. A
 * route is a path, an access rule and a handler; nothing else guards it, so no route can forget its check:
 * <pre>{@code
 * routes.post("/bastion/v1/keys", Access.to("keys.manage").audited("key.create"), this::create);
 * routes.get("/bastion/v1/keys/{id}", Access.to("keys.manage"), this::show);
 * }</pre>
 */
public final class AdminRoutes {
    static final String OPERATOR_PREFIX = "/bastion/v1/operator/";

    private final HttpRouting.Builder routing;
    private final AdminChains chains;
    private final JsonBodies json;
    private final Clock clock;
    private final List<Registered> registered;
    /** For console pages: refusals rendered as pages, and a fact put on each exchange before its chain runs. */
    private final ProblemPage problemPage;
    private final Consumer<Exchange> prepare;

    /** A route as registered: for tests that must cover every route, including ones added later. */
    public record Registered(String method, String path, boolean withoutCredentials) {}

    public AdminRoutes(HttpRouting.Builder routing, AdminChains chains, JsonBodies json, Clock clock) {
        this(routing, chains, json, clock, new ArrayList<>(), null, null);
    }

    private AdminRoutes(HttpRouting.Builder routing, AdminChains chains, JsonBodies json, Clock clock,
                        List<Registered> registered, ProblemPage problemPage, Consumer<Exchange> prepare) {
        this.routing = routing;
        this.chains = chains;
        this.json = json;
        this.clock = clock;
        this.registered = registered;
        this.problemPage = problemPage;
        this.prepare = prepare;
    }

    /**
     * The same chains for routes that answer browsers (the web console): a refusal is answered by {@code page}
     * (when it renders one), and {@code prepare} adds facts to each exchange before its chain runs.
     */
    public AdminRoutes pages(ProblemPage page, Consumer<Exchange> prepare) {
        return new AdminRoutes(routing, chains, json, clock, registered, page, prepare);
    }

    public AdminRoutes get(String path, Access access, AdminHandler handler) { return route(Method.GET, path, access, handler); }

    public AdminRoutes post(String path, Access access, AdminHandler handler) { return route(Method.POST, path, access, handler); }

    public AdminRoutes put(String path, Access access, AdminHandler handler) { return route(Method.PUT, path, access, handler); }

    public AdminRoutes delete(String path, Access access, AdminHandler handler) { return route(Method.DELETE, path, access, handler); }

    public AdminRoutes route(Method method, String path, Access access, AdminHandler handler) {
        if (access.open() && !path.startsWith(OPERATOR_PREFIX)) {
            throw new IllegalArgumentException("only the barrier's operator routes may answer without credentials");
        }
        AdminTerminal terminal = new AdminTerminal(handler, json);
        Pipeline pipeline = access.open() ? chains.withoutCredentials(terminal)
                : chains.secured(access.auditEvent(), target(access.target()), terminal);
        routing.route(method, path, (req, res) -> run(pipeline, access, req, res));
        registered.add(new Registered(method.text(), path, access.open()));
        return this;
    }

    /**
     * An operational GET route ({@code /metrics}): answers while sealed, to the host's own tooling on loopback or to
     * a caller the policy allows {@code access}'s action; refusals are audited like every other.
     */
    public AdminRoutes operational(String path, Access access, AdminHandler handler) {
        if (access.open() || access.auditEvent() != null) {
            throw new IllegalArgumentException("an operational route reads only: it takes a policy action, no audit event");
        }
        Pipeline pipeline = chains.operational(new AdminTerminal(handler, json));
        routing.route(Method.GET, path, (req, res) -> run(pipeline, access, req, res));
        return this;
    }

    public List<Registered> registered() { return List.copyOf(registered); }

    private Function<Exchange, String> target(Function<AdminCall, String> target) {
        return target == null ? null : exchange -> target.apply(new AdminCall(exchange, json));
    }

    private void run(Pipeline pipeline, Access access, ServerRequest req, ServerResponse res) {
        Exchange exchange = HttpExchanges.of(req, access.action(), clock, json.bodyDeadline());
        exchange.put(AdminCall.Http.class, new AdminCall.Http(req));
        Resource resource = access.resource();
        if (resource != null) exchange.put(Resource.class, resource);
        if (prepare != null) prepare.accept(exchange);
        HelidonResponseSink sink = new HelidonResponseSink(exchange, res, problemPage);
        pipeline.run(exchange, sink);
        sink.closeIfAbandoned();
    }
}
