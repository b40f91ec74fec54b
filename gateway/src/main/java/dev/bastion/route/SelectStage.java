package dev.bastion.route;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.Resource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Chooses among an alias's backends, after inspection and before authorization: orders them (priority groups,
 * lowest first; weighted random order within a group), leaves out every backend an {@link Eligibility} check
 * refuses (the request's policy decision for that backend, approval, attestation…) and every backend out of
 * rotation, and leaves the first remaining one as the {@link Route} and {@link Resource} facts — the decision the
 * authorize stage then takes — with the rest as fallbacks in the {@link RoutePlan}.
 *
 * <p>Never a silent fallback to a backend that may not have the data: when compliant backends exist but none is in
 * rotation, or when every backend is excluded for a reason that is not the policy's (approval, attestation), the
 * answer is 503 {@code no_compliant_backend} with the reason class. When policy (or the model registry) refuses every
 * backend, the preferred one stays routed so that the authorize stage (or the registry gate) answers with its own 403.
 */
public final class SelectStage implements Stage {
    /** Reasons a later stage answers with its own code when they exclude every backend (policy 403, registry 403). */
    private static final Set<String> POLICY_REASONS = Set.of(Eligibility.POLICY, Eligibility.CLASSIFICATION,
            Eligibility.REGION, Eligibility.UNAPPROVED);

    private final ModelCatalog catalog;
    private final List<Eligibility> checks;
    private final Supplier<RandomGenerator> random;

    public SelectStage(ModelCatalog catalog, List<Eligibility> checks) {
        this(catalog, checks, ThreadLocalRandom::current);
    }

    SelectStage(ModelCatalog catalog, List<Eligibility> checks, Supplier<RandomGenerator> random) {
        this.catalog = catalog;
        this.checks = List.copyOf(checks);
        this.random = random;
    }

    @Override
    public String name() { return "select"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        ModelRequest request = exchange.get(ModelRequest.class);
        ModelRoutes routes = request == null ? null : catalog.targets(request.model());
        if (routes == null) return Outcome.proceed(); // an alias nothing serves: the authorize stage answers it
        List<Route> usable = new ArrayList<>();
        TreeMap<String, Integer> excluded = new TreeMap<>();
        boolean compliant = false;
        for (Target t : order(routes.targets(), random.get())) {
            String why = null;
            for (Eligibility check : checks) {
                why = check.excluded(exchange, t.route());
                if (why != null) break;
            }
            if (why == null) {
                compliant = true;
                BackendState state = catalog.state(t.route().backendName());
                why = state == null ? null : state.unavailable();
            }
            if (why == null) usable.add(t.route());
            else excluded.merge(why, 1, Integer::sum);
        }
        if (usable.isEmpty()) {
            if (!compliant && POLICY_REASONS.containsAll(excluded.keySet())) return Outcome.proceed();
            String reason = compliant ? firstOf(excluded, Set.of("ejected", "unhealthy")) : firstNonPolicy(excluded);
            return Outcome.deny(ErrorCode.NO_COMPLIANT_BACKEND.problem("no backend that may serve this request is "
                    + "available (" + reason + ")").withDetail("reason", reason)
                    .withDetail("excluded", new RoutePlan(List.of(), excluded).excludedText()));
        }
        Route primary = usable.getFirst();
        exchange.put(Route.class, primary);
        exchange.put(Resource.class, primary.policyResource());
        exchange.put(RoutePlan.class, new RoutePlan(usable, excluded));
        return Outcome.proceed();
    }

    /** Priority groups in ascending order; within a group a weighted random order (exponential keys). */
    static List<Target> order(List<Target> targets, RandomGenerator random) {
        if (targets.size() == 1) return targets;
        record Keyed(Target target, double key) {}
        List<Keyed> keyed = new ArrayList<>(targets.size());
        for (Target t : targets) keyed.add(new Keyed(t, -Math.log(1.0 - random.nextDouble()) / t.weight()));
        keyed.sort(Comparator.comparingInt((Keyed k) -> k.target().priority()).thenComparingDouble(Keyed::key));
        return keyed.stream().map(Keyed::target).toList();
    }

    private static String firstOf(TreeMap<String, Integer> excluded, Set<String> preferred) {
        for (String r : excluded.keySet()) if (preferred.contains(r)) return r;
        return excluded.firstKey();
    }

    private static String firstNonPolicy(TreeMap<String, Integer> excluded) {
        for (String r : excluded.keySet()) if (!POLICY_REASONS.contains(r)) return r;
        return excluded.firstKey();
    }
}
