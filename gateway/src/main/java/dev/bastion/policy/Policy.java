package dev.bastion.policy;

import dev.bastion.identity.Principal;
import dev.cel.runtime.CelEvaluationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled, immutable policy. Default deny; a matching forbid overrides every permit; a permit bound to purposes
 * needs a declared purpose from its list; obligations of the matching permits and obligate rules are merged.
 * Thread-safe: share one instance across requests and swap it whole (see {@link PolicyHolder}).
 */
public final class Policy {
    /** Where the shipped default policy lives on the classpath. */
    public static final String DEFAULT_RESOURCE = "/policy/default.yaml";

    private final String source;
    private final String digest;
    private final List<Rule> rules;
    private final Map<Action, ActionIndex> byAction;
    private final Map<String, AttributeType> principalSchema;
    private final Map<String, AttributeType> resourceSchema;
    private final Classifications classifications;
    private final Set<String> purposes;
    private volatile PolicyCel cel;
    private final Set<String> roles;

    Policy(String source, String digest, List<Rule> rules, Map<String, AttributeType> principalSchema,
           Map<String, AttributeType> resourceSchema, Classifications classifications, Set<String> purposes,
           Set<String> roles) {
        this.roles = Set.copyOf(roles);
        this.source = source;
        this.digest = digest;
        this.rules = List.copyOf(rules);
        this.principalSchema = Map.copyOf(principalSchema);
        this.resourceSchema = Map.copyOf(resourceSchema);
        this.classifications = classifications;
        this.purposes = Set.copyOf(purposes);
        var index = new EnumMap<Action, ActionIndex>(Action.class);
        for (Action a : Action.values()) index.put(a, ActionIndex.of(this.rules, a));
        this.byAction = index;
    }

    /**
     * The rules covering one action, forbids first (they short-cut), then permits, then obligates, file order within
     * each; plus which of them apply to any role and which to each named role, so a decision only visits the rules
     * of the caller's roles.
     */
    private record ActionIndex(Rule[] rules, BitSet anyRole, Map<String, BitSet> byRole) {
        static ActionIndex of(List<Rule> all, Action a) {
            var list = new ArrayList<Rule>();
            for (Effect e : List.of(Effect.FORBID, Effect.PERMIT, Effect.OBLIGATE)) {
                for (Rule r : all) if (r.effect() == e && r.actions().contains(a)) list.add(r);
            }
            var anyRole = new BitSet();
            var byRole = new HashMap<String, BitSet>();
            for (int i = 0; i < list.size(); i++) {
                Rule r = list.get(i);
                if (r.roles().isEmpty()) anyRole.set(i);
                for (String role : r.roles()) byRole.computeIfAbsent(role, k -> new BitSet()).set(i);
            }
            return new ActionIndex(list.toArray(Rule[]::new), anyRole, Map.copyOf(byRole));
        }

        /** Rules to visit, in order: all of them when explaining, else those of the principal's roles. */
        BitSet candidates(Principal p, boolean all) {
            var c = (BitSet) anyRole.clone();
            if (all) {
                c.set(0, rules.length);
                return c;
            }
            for (String role : p.roles()) {
                BitSet b = byRole.get(role);
                if (b != null) c.or(b);
            }
            return c;
        }
    }

    /** Compiles policy text; {@code source} names the file in error messages. */
    public static Policy parse(String source, String text) throws PolicyCompileException {
        return PolicyParser.parse(source, text);
    }

    public static Policy load(Path file) throws IOException, PolicyCompileException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The shipped default policy (least privilege and separation of duties for the built-in roles). */
    public static Policy loadDefault() {
        try {
            return parse("default.yaml", defaultText());
        } catch (PolicyCompileException e) {
            throw new IllegalStateException("shipped default policy does not load: " + e.getMessage(), e);
        }
    }

    /** The shipped default policy's text. */
    public static String defaultText() {
        try (InputStream in = Policy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("default policy missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("shipped default policy cannot be read: " + e.getMessage(), e);
        }
    }

    /** The file it came from, as given. */
    public String source() { return source; }

    /** {@code sha256:<hex>} of the policy text: names this exact policy in audit records. */
    public String digest() { return digest; }

    public int ruleCount() { return rules.size(); }

    /** The policy file format this policy was written in ({@code version:}). */
    public int formatVersion() { return PolicyParser.FORMAT_VERSION; }

    public List<String> ruleIds() { return rules.stream().map(Rule::id).toList(); }

    /** What one rule says, without its condition's code: for generated records of processing. */
    public record RuleSummary(String id, String effect, List<String> actions, Set<String> roles, Set<String> purposes,
                              boolean conditional, Obligations obligations) {}

    /** Every rule, in file order. */
    public List<RuleSummary> summaries() {
        return rules.stream().map(r -> new RuleSummary(r.id(), r.effect().name().toLowerCase(java.util.Locale.ROOT),
                r.actions().stream().map(Action::wire).sorted().toList(), r.roles(),
                r.purposes() == null ? Set.of() : r.purposes(), r.condition() != null, r.obligations())).toList();
    }

    /** The purposes declared at the top of the file (empty when the file declares none). */
    public Set<String> purposes() { return purposes; }

    /** The classification labels, lowest first (empty when the policy declares none). */
    public java.util.List<String> classifications() { return classifications.labels(); }

    /** The level of a label among {@link #classifications()}, or -1 when it is not one of them. */
    public int classificationLevel(String label) { return classifications.labels().indexOf(label); }

    /**
     * Compiles a condition in the same environment as rule conditions ({@code principal}, {@code resource},
     * {@code request}, {@code action}, this policy's attribute schema), type-checked now.
     *
     * @param source names the condition in error messages (e.g. {@code collection finance})
     */
    public Condition condition(String source, String expression) throws PolicyCompileException {
        PolicyCel c = cel;
        if (c == null) cel = c = new PolicyCel(principalSchema, resourceSchema);
        dev.cel.common.CelValidationResult result;
        try {
            result = c.compile(expression);
        } catch (RuntimeException e) {
            throw new PolicyCompileException(List.of(new PolicyError(source, 0, 0,
                    "condition could not be compiled (" + e.getClass().getSimpleName() + ")")));
        }
        if (result.hasError()) {
            List<PolicyError> errors = new ArrayList<>();
            for (var issue : result.getErrors()) {
                var loc = issue.getSourceLocation();
                errors.add(new PolicyError(source, Math.max(0, loc.getLine()), Math.max(0, loc.getColumn() + 1),
                        issue.getMessage()));
            }
            throw new PolicyCompileException(errors);
        }
        try {
            return new Condition(PolicyCel.program(result.getAst()), expression, this);
        } catch (Exception e) {
            throw new PolicyCompileException(List.of(new PolicyError(source, 0, 0, e.getClass().getSimpleName())));
        }
    }

    /** The CEL variables of one request (for {@link Condition}). */
    dev.cel.runtime.CelVariableResolver activation(PolicyRequest request) {
        return new Activation(request, principalSchema, resourceSchema, classifications);
    }
    /** The classification labels, lowest first (empty when the file declares none). */
    public List<String> classificationLabels() { return classifications.labels(); }

    /**
     * The roles this policy knows: its top-level {@code roles} registry, or (without one) every role its rules name.
     * A credential may only be given roles from this set.
     */
    public Set<String> roles() { return roles; }

    /** Decides one request. Never throws for any request; evaluation problems fail closed. */
    public Decision decide(PolicyRequest request) { return evaluate(request, null); }

    /**
     * Whether the request's classification — declared, raised by what inspection found
     * ({@code finding_classifications}) — is above what {@code resource} is approved for. Routing names this reason
     * when it leaves a backend out.
     */
    public boolean classificationAbove(RequestFacts facts, Resource resource) {
        return classifications.above(facts, resource);
    }

    /** The classification label the request is treated as having ("" when the policy has no classifications). */
    public String effectiveClassification(RequestFacts facts) {
        return classifications.labels().isEmpty() ? facts.classification() : classifications.effectiveRequestLabel(facts);
    }

    /** Decides and reports, rule by rule, why: the answer to "would this be allowed, and why?". */
    public Explanation simulate(PolicyRequest request) { return explain(request); }

    /** Same as {@link #simulate}. */
    public Explanation explain(PolicyRequest request) {
        var trace = new ArrayList<Explanation.Step>();
        var decision = evaluate(request, trace);
        return new Explanation(decision, trace);
    }

    private Decision evaluate(PolicyRequest req, List<Explanation.Step> trace) {
        var principal = req.principal();
        var resource = req.resource();
        // the credential's model scope is checked here and nowhere else; only then may a caller learn that an
        // alias does not exist
        if (resource.isModel() && !principal.mayUseModel(resource.name())) {
            return Decision.deny(Reason.MODEL_NOT_IN_SCOPE, List.of(), digest);
        }
        if (!resource.known()) return Decision.deny(Reason.MODEL_NOT_FOUND, List.of(), digest);
        String ref = resource.ref();
        Activation vars = null;
        List<String> forbids = null;
        boolean forbidError = false;
        Reason forbidReason = Reason.FORBIDDEN;
        List<String> permits = null;
        List<String> purposeMissing = null;
        List<String> purposeNotListed = null;
        Obligations obligations = Obligations.NONE;
        List<String> obligationRules = null;
        String purpose = req.facts().purpose();

        ActionIndex index = byAction.get(req.action());
        Rule[] rules = index.rules();
        BitSet candidates = index.candidates(principal, trace != null);
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            Rule r = rules[i];
            if (r.effect() == Effect.PERMIT && forbids != null) break;          // a forbid already decided
            if (r.effect() == Effect.OBLIGATE && permits == null) break;       // nothing to add obligations to
            if (!r.rolesMatch(principal)) {
                step(trace, r, "role_mismatch");
                continue;
            }
            if (!r.resourceMatches(ref)) {
                step(trace, r, "resource_mismatch");
                continue;
            }
            Boolean holds = Boolean.TRUE;
            if (r.condition() != null) {
                if (vars == null) vars = new Activation(req, principalSchema, resourceSchema, classifications);
                holds = eval(r, vars);
            }
            if (holds == null) {
                step(trace, r, "condition_error");
                if (r.effect() == Effect.PERMIT) continue;                    // an erroring permit grants nothing
                if (r.effect() == Effect.FORBID) {
                    forbids = add(forbids, r.id());
                    forbidError = true;
                    continue;
                }
                return Decision.deny(Reason.EVALUATION_ERROR, List.of(r.id()), digest);
            }
            if (!holds) {
                step(trace, r, "condition_false");
                continue;
            }
            switch (r.effect()) {
                case FORBID -> {
                    step(trace, r, "matched");
                    if (forbids == null) forbidReason = r.code();
                    forbids = add(forbids, r.id());
                }
                case PERMIT -> {
                    if (r.purposes() != null && purpose.isEmpty()) {
                        step(trace, r, "purpose_missing");
                        purposeMissing = add(purposeMissing, r.id());
                    } else if (r.purposes() != null && !r.purposes().contains(purpose)) {
                        step(trace, r, "purpose_not_listed");
                        purposeNotListed = add(purposeNotListed, r.id());
                    } else {
                        step(trace, r, "matched");
                        permits = add(permits, r.id());
                        obligations = obligations.merge(r.obligations());
                    }
                }
                case OBLIGATE -> {
                    step(trace, r, "matched");
                    obligationRules = add(obligationRules, r.id());
                    obligations = obligations.merge(r.obligations());
                }
            }
        }
        if (forbids != null) {
            return Decision.deny(forbidError ? Reason.EVALUATION_ERROR : forbidReason, forbids, digest);
        }
        if (permits == null) {
            if (purposeMissing != null) return Decision.deny(Reason.PURPOSE_REQUIRED, purposeMissing, digest);
            if (purposeNotListed != null) return Decision.deny(Reason.PURPOSE_NOT_ALLOWED, purposeNotListed, digest);
            return Decision.deny(Reason.NO_PERMIT, List.of(), digest);
        }
        return new Decision(true, Reason.ALLOWED, permits, obligations,
                obligationRules == null ? List.of() : obligationRules, digest);
    }

    /** True, false, or null when the condition cannot be evaluated (missing attribute, bad address, …). */
    private static Boolean eval(Rule r, Activation vars) {
        try {
            return r.condition().eval(vars) instanceof Boolean b ? b : null;
        } catch (CelEvaluationException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> add(List<String> list, String id) {
        var out = list == null ? new ArrayList<String>(2) : list;
        out.add(id);
        return out;
    }

    private static void step(List<Explanation.Step> trace, Rule r, String outcome) {
        if (trace != null) trace.add(new Explanation.Step(r.id(), r.effect(), r.line(), outcome));
    }

    public static String digest(String text) {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            return "sha256:" + HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() { return "Policy[" + source + ", " + rules.size() + " rules, " + digest + "]"; }
}
