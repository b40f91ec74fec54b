package dev.bastion.api;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.quota.CounterState;
import dev.bastion.quota.QuotaRequest;
import dev.bastion.quota.QuotaRule;
import dev.bastion.quota.QuotaService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Budget state over HTTP: {@code GET /bastion/v1/quotas} ({@code config.read}: every rule and every counter of the
 * current windows, scope values shown only as their hash tokens) and {@code GET /bastion/v1/quotas/mine}
 * ({@code model.list}: the caller's own counters — what is left before a 429). Costs are in micro-units of the
 * configured currency.
 */
public final class QuotaApi {
    private final QuotaService quotas;

    public QuotaApi(QuotaService quotas) {
        this.quotas = quotas;
    }

    public void register(AdminRoutes routes) {
        routes.get("/bastion/v1/quotas", Access.to("config.read").on(dev.bastion.policy.Resource.admin("quotas", "*")),
                call -> Reply.ok(Map.of("rules", rules(), "counters", view(quotas.state()))));
        routes.get("/bastion/v1/quotas/mine", Access.to("model.list").on(dev.bastion.policy.Resource.admin("quotas", "mine")),
                this::mine);
    }

    private Reply mine(AdminCall call) {
        Principal p = call.principal();
        RequestContext context = call.exchange().get(RequestContext.class);
        QuotaRequest q = new QuotaRequest(p.method() == Principal.AuthMethod.API_KEY ? p.id() : null, p.id(),
                p.attributes(), context == null ? "" : context.purpose(), "", 0, 0);
        return Reply.ok(Map.of("counters", view(quotas.stateFor(q))));
    }

    private List<Map<String, Object>> rules() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QuotaRule r : quotas.settings().rules()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("scope", scopeName(r.scope()));
            Map<String, Object> limits = new LinkedHashMap<>();
            r.limits().forEach((metric, v) -> limits.put(metric.key(), v));
            m.put("limits", limits);
            out.add(m);
        }
        return out;
    }

    private static String scopeName(QuotaRule.Scope s) {
        return switch (s) {
            case QuotaRule.Scope.Key k -> "key";
            case QuotaRule.Scope.Principal p -> "principal";
            case QuotaRule.Scope.Attribute a -> "attribute:" + a.name();
            case QuotaRule.Scope.Purpose p -> "purpose";
            case QuotaRule.Scope.All a -> "all";
        };
    }

    private static List<Map<String, Object>> view(List<CounterState> counters) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CounterState c : counters) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", c.rule());
            m.put("limit", c.metric());
            m.put("scope", c.scopeToken());
            m.put("window_start", Instant.ofEpochSecond(c.windowStart()).toString());
            m.put("limit_value", c.limit());
            m.put("used", c.used());
            m.put("reserved", Math.max(0, c.allocated() - c.used()));
            m.put("remaining", Math.max(0, c.limit() - Math.max(c.allocated(), c.used())));
            out.add(m);
        }
        return out;
    }
}
