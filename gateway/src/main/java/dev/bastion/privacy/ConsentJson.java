package dev.bastion.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire form of a consent record (API answers, exports): the subject by token only. */
public final class ConsentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsentJson() {}

    public static ObjectNode view(Consent c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("object", "consent");
        o.put("subject", c.subject());
        o.put("purpose", c.purpose());
        o.put("state", c.state());
        o.put("basis", c.basis().wire());
        if (c.evidence() != null) o.put("evidence", c.evidence());
        if (c.expiresAt() != null) o.put("expires_at", c.expiresAt().toString());
        o.put("updated_at", c.updatedAt().toString());
        o.put("updated_by", c.updatedBy());
        return o;
    }
}
