package dev.bastion.rag;

import dev.bastion.barrier.BlindIndex;
import dev.bastion.identity.Principal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keyed tokens for what the index and the record paths must match on without holding it: ACL entries (roles,
 * principal ids, attribute values) and data-subject ids. A token is an HMAC under a server secret behind the
 * barrier, so the index shows which chunks share an ACL entry but not which role, person or team it names.
 */
final class Tokens {
    /** The ACL token every unrestricted document carries and every caller holds. */
    static final String EVERYONE = "*";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final BlindIndex index;

    Tokens(BlindIndex index) {
        this.index = index;
    }

    /** The tokens a document's ACL grants ({@link #EVERYONE} when it has none). */
    List<String> grants(DocumentRecord.DocumentAcl acl) {
        if (acl.unrestricted()) return List.of(EVERYONE);
        Set<String> out = new LinkedHashSet<>();
        for (String r : acl.roles()) out.add(acl("role", r));
        for (String p : acl.principals()) out.add(acl("principal", p));
        acl.attributes().forEach((name, values) -> {
            for (String v : values) out.add(acl("attribute", name + "=" + v));
        });
        return List.copyOf(out);
    }

    /** The tokens a caller holds: everyone, their roles, their id, each value of each string attribute. */
    Set<String> held(Principal p) {
        Set<String> out = new LinkedHashSet<>();
        out.add(EVERYONE);
        for (String r : p.roles()) out.add(acl("role", r));
        out.add(acl("principal", p.id()));
        for (Map.Entry<String, Object> a : p.attributes().entrySet()) {
            if (a.getValue() instanceof String s) out.add(acl("attribute", a.getKey() + "=" + s));
            else if (a.getValue() instanceof Collection<?> c) {
                for (Object v : c) if (v instanceof String s) out.add(acl("attribute", a.getKey() + "=" + s));
            }
        }
        return out;
    }

    /** A data subject's token: hex, usable as a path segment. */
    String subject(String subjectId) {
        byte[] h = index.of("rag/subject", subjectId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, 16);
    }

    private String acl(String kind, String value) {
        byte[] h = index.of("rag/acl/" + kind, value.getBytes(StandardCharsets.UTF_8));
        return B64.encodeToString(java.util.Arrays.copyOf(h, 12));
    }
}
