package dev.bastion.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a verified token's claims become a {@link Principal}.
 *
 * @param subjectClaim    claim path of the stable subject id (usually {@code sub})
 * @param roleSources     where roles come from, e.g. {@code realm_access.roles} or {@code groups}
 * @param attributeClaims ABAC attribute name → claim path (e.g. {@code department → org.department})
 * @param serviceWhen     CEL expression over {@code claims} (a {@code map<string, dyn>}) that marks a service identity,
 *                        e.g. {@code "gty" in claims && claims.gty == "client-credentials"}; null: every token is a user
 * @param serviceRoles    roles every service identity gets in addition to its claimed roles
 */
public record ClaimMapping(String subjectClaim, List<RoleSource> roleSources, Map<String, String> attributeClaims,
                           String serviceWhen, Set<String> serviceRoles) {

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_:/-]{1,128}(\\.[A-Za-z0-9_:/-]{1,128}){0,7}");

    /**
     * One claim that carries roles.
     *
     * @param claimPath dot-separated path into the claims ({@code resource_access.bastion.roles})
     * @param format    a JSON array of strings, or one space-delimited string (OAuth {@code scope})
     * @param rename    claim value → Bastion role; when {@code onlyMapped}, values without an entry are dropped
     * @param onlyMapped keep only renamed values (an allow-list against IdP groups that happen to be called "admin")
     */
    public record RoleSource(String claimPath, Format format, Map<String, String> rename, boolean onlyMapped) {
        public enum Format { LIST, SPACE_DELIMITED }

        public RoleSource {
            checkPath(claimPath);
            rename = Map.copyOf(rename);
            if (onlyMapped && rename.isEmpty()) throw new IllegalArgumentException("onlyMapped without a rename map");
        }

        /** Values of a JSON string array, used as role names as they are. */
        public static RoleSource list(String claimPath) { return new RoleSource(claimPath, Format.LIST, Map.of(), false); }

        /** Values of a JSON string array; only those in {@code rename} count, under their new names. */
        public static RoleSource mapped(String claimPath, Map<String, String> rename) {
            return new RoleSource(claimPath, Format.LIST, rename, true);
        }
    }

    public ClaimMapping {
        checkPath(subjectClaim);
        roleSources = List.copyOf(roleSources);
        attributeClaims = Map.copyOf(new LinkedHashMap<>(attributeClaims));
        attributeClaims.values().forEach(ClaimMapping::checkPath);
        serviceRoles = Set.copyOf(serviceRoles);
    }

    /** {@code sub}, roles from a {@code roles} array, no attributes, every token a user. */
    public static ClaimMapping defaults() {
        return new ClaimMapping("sub", List.of(RoleSource.list("roles")), Map.of(), null, Set.of());
    }

    public ClaimMapping withRoles(RoleSource... sources) {
        return new ClaimMapping(subjectClaim, List.of(sources), attributeClaims, serviceWhen, serviceRoles);
    }

    public ClaimMapping withAttributes(Map<String, String> attributes) {
        return new ClaimMapping(subjectClaim, roleSources, attributes, serviceWhen, serviceRoles);
    }

    public ClaimMapping withService(String celWhen, Set<String> roles) {
        return new ClaimMapping(subjectClaim, roleSources, attributeClaims, celWhen, roles);
    }

    /** Whether {@code path} is a usable claim path: dot-separated names, at most 8 steps. */
    public static boolean validPath(String path) { return path != null && PATH.matcher(path).matches(); }

    static void checkPath(String path) {
        if (path == null || !PATH.matcher(path).matches()) throw new IllegalArgumentException("bad claim path");
    }

    /** The value at a dot path, or null when any step is missing or not an object. */
    public static Object at(Map<String, Object> claims, String path) {
        Object cur = claims;
        for (String step : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(step);
        }
        return cur;
    }

    /** Thrown (internally) when a mapped claim has the wrong type; becomes {@link JwtFailure#CLAIM_TYPE}. */
    static final class WrongType extends Exception {
        WrongType() { super(null, null, false, false); }
    }

    Set<String> roles(Map<String, Object> claims) throws WrongType {
        var out = new LinkedHashSet<String>();
        for (RoleSource s : roleSources) {
            Object v = at(claims, s.claimPath());
            if (v == null) continue;
            List<String> values = switch (s.format()) {
                case LIST -> strings(v);
                case SPACE_DELIMITED -> {
                    if (!(v instanceof String str)) throw new WrongType();
                    yield List.of(str.trim().split(" +"));
                }
            };
            for (String role : values) {
                if (role.isEmpty()) continue;
                if (role.length() > 256 || role.chars().anyMatch(Character::isISOControl)) throw new WrongType();
                String mapped = s.rename().get(role);
                if (mapped != null) out.add(mapped);
                else if (!s.onlyMapped()) out.add(role);
            }
            if (out.size() > 256) throw new WrongType();
        }
        return out;
    }

    Map<String, Object> attributes(Map<String, Object> claims) throws WrongType {
        var out = new LinkedHashMap<String, Object>();
        for (var e : attributeClaims.entrySet()) {
            Object v = at(claims, e.getValue());
            if (v == null) continue;
            switch (v) {
                case String s -> out.put(e.getKey(), s);
                case Boolean b -> out.put(e.getKey(), b);
                case Long l -> out.put(e.getKey(), l);
                case Integer i -> out.put(e.getKey(), i.longValue());
                case Double d -> out.put(e.getKey(), d);
                case List<?> ignored -> out.put(e.getKey(), strings(v));
                default -> throw new WrongType();
            }
        }
        return out;
    }

    private static List<String> strings(Object v) throws WrongType {
        if (!(v instanceof List<?> list)) throw new WrongType();
        var out = new ArrayList<String>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) throw new WrongType();
            out.add(s);
        }
        return out;
    }
}
