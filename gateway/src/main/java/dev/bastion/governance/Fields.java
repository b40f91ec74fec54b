package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.nio.file.Path;
import java.util.List;

/** Reading fields of the registry API's JSON bodies: typed, bounded, and named in errors without echoing values. */
final class Fields {
    private Fields() {}

    static String text(ObjectNode body, String field, int max, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new ProblemException(ErrorCode.MISSING_FIELD.problem("'" + field + "' is required", field));
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw Registry.invalid(field, field + " must be a string of 1 to " + max + " characters");
        }
        return v.asText();
    }

    static String sha256(ObjectNode body, String field) {
        String v = text(body, field, 64, false);
        if (v != null && !v.matches("[0-9a-fA-F]{64}")) throw Registry.invalid(field, field + " must be 64 hex digits");
        return v == null ? null : v.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A server-side file path inside one of the allowed directories (after resolving links), so that the registry
     * API cannot be used to read files elsewhere on the server.
     */
    static Path pathWithin(ObjectNode body, String field, List<Path> allowed) {
        Path p = Path.of(text(body, field, 4096, true));
        Path real;
        try {
            real = p.toRealPath();
        } catch (java.io.IOException | SecurityException e) {
            throw LocalArtifacts.invalid("no readable file at that path");
        }
        for (Path dir : allowed) {
            try {
                if (real.startsWith(dir.toRealPath())) return real;
            } catch (java.io.IOException e) {
                // a configured directory that does not exist allows nothing
            }
        }
        throw Registry.invalid(field, field + " must be inside one of the configured directories "
                + "(governance.model-dirs / governance.dataset-dirs)");
    }
}
