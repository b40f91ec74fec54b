package dev.bastion.rag;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a passage is cited: which document (id, digest, source, collection), where in it, and its rank score. */
final class Citations {
    static Map<String, Object> of(Retriever.Passage p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", p.n());
        m.put("collection", p.collection());
        m.put("document", p.document());
        m.put("digest", p.digest());
        m.put("source", p.source());
        if (!p.heading().isEmpty()) m.put("heading", p.heading());
        if (p.page() > 0) m.put("page", p.page());
        m.put("chunk", p.chunk());
        m.put("classification", p.classification());
        m.put("score", Math.round(p.score() * 1e6) / 1e6);
        return m;
    }

    private Citations() {}
}
