package dev.bastion.inspect;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Applies per-type actions to one text given its findings. PROMPT_INJECTION findings are never rewritten here. */
public final class Redactor {
    private Redactor() {}

    /** Types whose findings at or above {@code minScore} have action BLOCK (empty when nothing blocks). */
    public static Set<EntityType> blockedTypes(List<Finding> findings, InspectionObligations ob) {
        Set<EntityType> blocked = EnumSet.noneOf(EntityType.class);
        for (Finding f : findings) {
            if (f.type() != EntityType.PROMPT_INJECTION && f.score() >= ob.minScore()
                    && ob.actionFor(f.type()) == Action.BLOCK) blocked.add(f.type());
        }
        return blocked;
    }

    /**
     * Rewrites {@code text}: MASK → {@code [TYPE]}, PSEUDONYMISE → the session's token, GENERALISE → the Safe Harbor
     * form. {@code session} may be null only when no type is pseudonymised (it is then masked instead).
     */
    public static Redaction apply(String text, List<Finding> findings, InspectionObligations ob, PseudonymSession session) {
        Set<EntityType> blocked = blockedTypes(findings, ob);
        if (!blocked.isEmpty()) return new Redaction.Blocked(blocked);
        Map<EntityType, Integer> changed = new EnumMap<>(EntityType.class);
        StringBuilder out = null;
        int pos = 0;
        for (Finding f : findings) {
            if (f.type() == EntityType.PROMPT_INJECTION || f.score() < ob.minScore() || f.start() < pos) continue;
            Action a = ob.actionFor(f.type());
            if (a == Action.ALLOW) continue;
            String value = text.substring(f.start(), f.end());
            String replacement = switch (a) {
                case MASK, BLOCK -> mask(f.type());
                case PSEUDONYMISE -> session == null ? mask(f.type()) : session.tokenFor(f.type(), value);
                case GENERALISE -> Generalizer.generalise(f.type(), value);
                case ALLOW -> value;
            };
            if (out == null) out = new StringBuilder(text.length() + 16);
            out.append(text, pos, f.start()).append(replacement);
            pos = f.end();
            changed.merge(f.type(), 1, Integer::sum);
        }
        if (out == null) return new Redaction.Redacted(text, Map.of());
        out.append(text, pos, text.length());
        return new Redaction.Redacted(out.toString(), changed);
    }

    static String mask(EntityType type) {
        return "[" + type.name() + "]";
    }
}
