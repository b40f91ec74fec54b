package dev.bastion.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a model server's list of models into what each model is reported to be: model name → the identity strings
 * the server gives for it (a revision, a digest, the path or repository it was loaded from). The registry compares
 * them with the identity the operator expects ({@code expected_identity}). Values are normalised by
 * {@link #normalise}: case folded and a {@code sha256:} prefix dropped, as servers differ on both.
 */
public final class ReportedIdentities {
    static final int MAX_LIST = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The OpenAI list ({@code data[].id}) as vLLM, llama.cpp, TGI and LM Studio extend it. */
    static final List<String> OPENAI_FIELDS = List.of("root", "revision", "digest", "sha256");
    /** Ollama's {@code /api/tags} ({@code models[].name}). */
    static final List<String> OLLAMA_FIELDS = List.of("digest");

    private ReportedIdentities() {}

    /** Null when the body is not such a list. */
    static Map<String, Set<String>> parse(byte[] body, String array, String nameField, List<String> fields) {
        JsonNode list;
        try {
            list = JSON.readTree(body).path(array);
        } catch (IOException e) {
            return null;
        }
        if (!list.isArray()) return null;
        Map<String, Set<String>> out = new HashMap<>();
        for (JsonNode model : list) {
            String name = model.path(nameField).asText("");
            if (name.isEmpty()) continue;
            Set<String> ids = new HashSet<>();
            for (String f : fields) {
                JsonNode v = model.get(f);
                if (v != null && v.isTextual() && !v.asText().isEmpty()) ids.add(normalise(v.asText()));
            }
            out.merge(name, ids, (a, b) -> { a.addAll(b); return a; });
        }
        return Map.copyOf(out);
    }

    /** The form identities are compared in. */
    public static String normalise(String identity) {
        String s = identity.trim().toLowerCase(java.util.Locale.ROOT);
        return s.startsWith("sha256:") ? s.substring(7) : s;
    }
}
