package dev.bastion.policy;

import org.yaml.snakeyaml.nodes.Node;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads an {@code obligations:} mapping (of a rule, or of an expected decision in a cases file). */
final class ObligationsReader {
    private static final Set<String> KEYS = Set.of("mask", "pseudonymise", "block", "generalise", "regions",
            "max_tokens", "reidentify", "prompt_injection");
    private static final Pattern ENTITY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private ObligationsReader() {}

    static Obligations read(YamlReader y, Node n, String where) {
        var f = y.fields(n, where + ": obligations", KEYS, Set.of());
        if (f == null) return Obligations.NONE;
        var entities = new HashMap<String, EntityAction>();
        entityList(y, f, "generalise", EntityAction.GENERALISE, entities, where);
        entityList(y, f, "pseudonymise", EntityAction.PSEUDONYMISE, entities, where);
        entityList(y, f, "mask", EntityAction.MASK, entities, where);
        entityList(y, f, "block", EntityAction.BLOCK, entities, where);
        Set<String> regions = f.containsKey("regions") ? PolicyParser.labels(y, f.get("regions"), where + ": obligations.regions") : null;
        int maxTokens = 0;
        if (f.containsKey("max_tokens")) {
            Long m = y.integer(f.get("max_tokens"), where + ": obligations.max_tokens");
            if (m != null && (m < 1 || m > 10_000_000)) y.error(f.get("max_tokens"), where + ": max_tokens must be 1..10000000");
            else if (m != null) maxTokens = m.intValue();
        }
        var reidentify = Obligations.Reidentify.UNSET;
        if (f.containsKey("reidentify")) {
            Boolean b = y.bool(f.get("reidentify"), where + ": obligations.reidentify");
            if (b != null) reidentify = b ? Obligations.Reidentify.ALLOW : Obligations.Reidentify.DENY;
        }
        var injection = Obligations.Injection.NONE;
        if (f.containsKey("prompt_injection")) {
            String s = y.string(f.get("prompt_injection"), where + ": obligations.prompt_injection");
            if (s != null) {
                switch (s) {
                    case "flag" -> injection = Obligations.Injection.FLAG;
                    case "block" -> injection = Obligations.Injection.BLOCK;
                    case "none" -> injection = Obligations.Injection.NONE;
                    default -> y.error(f.get("prompt_injection"), where + ": prompt_injection must be flag, block or none");
                }
            }
        }
        return new Obligations(entities, regions, maxTokens, reidentify, injection);
    }

    private static void entityList(YamlReader y, Map<String, Node> f, String key, EntityAction action, Map<String, EntityAction> out,
                            String where) {
        if (!f.containsKey(key)) return;
        var list = y.strings(f.get(key), where + ": obligations." + key);
        if (list == null) return;
        for (String t : list) {
            if (!ENTITY.matcher(t).matches()) {
                y.error(f.get(key), where + ": entity type '" + YamlReader.printable(t) + "' must be UPPER_SNAKE_CASE");
            } else if (out.putIfAbsent(t, action) != null) {
                y.error(f.get(key), where + ": entity type " + t + " appears under two obligations");
            }
        }
    }
}
