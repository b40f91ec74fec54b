package dev.bastion.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.Operation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request side of inspection, in two steps around the policy decision: {@link #scan} finds what the body holds
 * (policy reads the counts), {@link #apply} rewrites it as the obligations say, or refuses it.
 */
public final class RequestGuard {
    private final Inspector inspector;
    private final double reportScore;
    private final UntrustedContent untrusted;

    /** @param reportScore findings below this score are not counted for policy (obligations may set a higher bar) */
    public RequestGuard(Inspector inspector, double reportScore) {
        this(inspector, reportScore, UntrustedContent.DEFAULT);
    }

    /** @param untrusted which text is data rather than instruction (scored apart, refused at a stricter bar) */
    public RequestGuard(Inspector inspector, double reportScore, UntrustedContent untrusted) {
        this.inspector = inspector;
        this.reportScore = reportScore;
        this.untrusted = untrusted;
    }

    public RequestScan scan(ObjectNode body, Operation op) {
        RequestTexts texts;
        try {
            texts = RequestTexts.of(body, op);
        } catch (IllegalArgumentException e) {
            return new RequestScan.Failed("request_texts", "tool_arguments_too_deep");
        }
        Map<EntityType, Integer> counts = new EnumMap<>(EntityType.class);
        List<List<Finding>> all = new ArrayList<>(texts.slots.size());
        double injection = 0;
        double callerInjection = 0;
        boolean fromTool = false;
        double untrustedScore = 0;
        for (RequestTexts.Slot slot : texts.slots) {
            if (!slot.isToolArgument() && !untrusted.untrustedRole(slot.role)) {
                for (int[] span : untrusted.spans(slot.text)) {
                    untrustedScore = Math.max(untrustedScore, inspector.injectionScore(slot.text.substring(span[0], span[1])));
                }
            }
            switch (inspector.inspect(slot.text)) {
                case Inspection.Failed f -> { return new RequestScan.Failed(f.detector(), f.reason()); }
                case Inspection.Found found -> {
                    all.add(found.findings());
                    for (Finding f : found.findings()) {
                        if (f.type() == EntityType.PROMPT_INJECTION) {
                            if (!isApplicationInstruction(slot.role)) callerInjection = Math.max(callerInjection, f.score());
                            if (untrusted.untrustedRole(slot.role)) untrustedScore = Math.max(untrustedScore, f.score());
                            if (f.score() > injection) {
                                injection = f.score();
                                fromTool = slot.role.equals("tool") || slot.role.equals("function");
                            }
                        } else if (f.score() >= reportScore) {
                            counts.merge(f.type(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return new RequestScan.Scanned(counts, Math.max(injection, untrustedScore), callerInjection, fromTool, texts, all,
                untrustedScore);
    }

    /**
     * System and developer messages are the calling application's own instructions: someone who controls them
     * already controls the application, and they are worded like instructions by nature ("Answer only from the
     * context below" scores high). Their score flags the request for the audit record but never refuses it.
     */
    private static boolean isApplicationInstruction(String role) {
        return role.equals("system") || role.equals("developer");
    }

    /** The outcome of {@link #apply}. */
    public sealed interface Result {
        /** Forward; {@code modified} says whether the body changed (then call ModelRequest.markModified). */
        record Pass(boolean modified, Map<EntityType, Integer> changed, boolean injectionFlagged) implements Result {
            public Pass {
                changed = Map.copyOf(changed);
            }
        }

        /** Refuse with 403 sensitive_data_blocked (or prompt_injection_blocked when only PROMPT_INJECTION). */
        record Block(Set<EntityType> types) implements Result {
            public Block {
                types = Set.copyOf(types);
            }
        }
    }

    /** Rewrites the scanned body in place. {@code session} may be null when nothing is pseudonymised. */
    public Result apply(RequestScan.Scanned scan, InspectionObligations ob, PseudonymSession session) {
        Set<EntityType> blocked = EnumSet.noneOf(EntityType.class);
        for (List<Finding> fs : scan.findings()) blocked.addAll(Redactor.blockedTypes(fs, ob));
        boolean injection = scan.injectionScore() >= ob.injectionThreshold()
                && ob.injection() != InspectionObligations.InjectionAction.IGNORE;
        if (injection && ob.injection() == InspectionObligations.InjectionAction.BLOCK
                && (scan.callerInjectionScore() >= ob.injectionBlockThreshold()
                    || scan.untrustedInjectionScore() >= ob.injectionUntrustedBlockThreshold())) blocked.add(EntityType.PROMPT_INJECTION);
        if (!blocked.isEmpty()) return new Result.Block(blocked);
        Map<EntityType, Integer> changed = new EnumMap<>(EntityType.class);
        List<RequestTexts.Slot> slots = scan.texts().slots;
        for (int i = 0; i < slots.size(); i++) {
            RequestTexts.Slot slot = slots.get(i);
            switch (Redactor.apply(slot.text, scan.findings().get(i), ob, session)) {
                case Redaction.Blocked b -> { return new Result.Block(b.types()); }
                case Redaction.Redacted r -> {
                    if (!r.changed().isEmpty()) {
                        slot.set(r.text());
                        r.changed().forEach((k, v) -> changed.merge(k, v, Integer::sum));
                    }
                }
            }
        }
        scan.texts().commit();
        return new Result.Pass(!changed.isEmpty(), changed, injection);
    }
}
