package dev.bastion.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The types an attribute can be declared with in a policy's {@code attributes:} schema. */
enum AttributeType {
    STRING("string", SimpleType.STRING),
    INT("int", SimpleType.INT),
    DOUBLE("double", SimpleType.DOUBLE),
    BOOL("bool", SimpleType.BOOL),
    LIST_STRING("list<string>", ListType.create(SimpleType.STRING)),
    MAP_STRING("map<string,string>", MapType.create(SimpleType.STRING, SimpleType.STRING));

    final String wire;
    final CelType celType;

    AttributeType(String wire, CelType celType) {
        this.wire = wire;
        this.celType = celType;
    }

    static Optional<AttributeType> parse(String s) {
        String compact = s.replace(" ", "");
        for (var t : values()) if (t.wire.equals(compact)) return Optional.of(t);
        return Optional.empty();
    }

    /**
     * The value as CEL's runtime expects it, or null when it does not have this type. No coercion between kinds: a
     * string "3" is not an int, a single string is not a list.
     */
    Object coerce(Object v) {
        return switch (this) {
            case STRING -> v instanceof String ? v : null;
            case INT -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    ? ((Number) v).longValue() : null;
            case DOUBLE -> v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer
                    ? ((Number) v).doubleValue() : null;
            case BOOL -> v instanceof Boolean ? v : null;
            case LIST_STRING -> {
                if (!(v instanceof List<?> list)) yield null;
                var out = new ArrayList<String>(list.size());
                for (Object o : list) {
                    if (!(o instanceof String s)) yield null;
                    out.add(s);
                }
                yield List.copyOf(out);
            }
            case MAP_STRING -> {
                if (!(v instanceof Map<?, ?> map)) yield null;
                var out = new LinkedHashMap<String, String>();
                for (var e : map.entrySet()) {
                    if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String s)) yield null;
                    out.put(k, s);
                }
                yield Map.copyOf(out);
            }
        };
    }
}
