package dev.bastion.inspect;

import java.util.Map;
import java.util.Set;

/**
 * Which strings of an OpenAI-style request body are <em>not</em> text — the documented exceptions to "every string
 * that reaches a backend is inspected" (docs/inspect.md, "What is inspected"). Everything else is text: unknown vendor
 * fields included, so a field Bastion does not know fails closed (inspected) rather than open. An exception applies
 * only when the value has the documented form (an enum value from the list, a base64 payload); a value outside it is
 * inspected like any text. Paths name object fields with {@code .} and array items with {@code []}.
 */
final class TextSchema {
    private TextSchema() {}

    /** Enumerated fields: these exact values are protocol words, not content. */
    private static final Map<String, Set<String>> ENUMS = Map.ofEntries(
            Map.entry("messages[].role", Set.of("system", "developer", "user", "assistant", "tool", "function")),
            Map.entry("messages[].content[].type",
                    Set.of("text", "image_url", "input_audio", "file", "refusal", "input_text", "input_image")),
            Map.entry("messages[].content[].image_url.detail", Set.of("auto", "low", "high")),
            Map.entry("messages[].content[].input_audio.format", Set.of("wav", "mp3")),
            Map.entry("messages[].tool_calls[].type", Set.of("function")),
            Map.entry("tools[].type", Set.of("function")),
            Map.entry("tool_choice", Set.of("none", "auto", "required")),
            Map.entry("tool_choice.type", Set.of("function")),
            Map.entry("response_format.type", Set.of("text", "json_object", "json_schema")),
            Map.entry("encoding_format", Set.of("float", "base64")),
            Map.entry("reasoning_effort", Set.of("minimal", "low", "medium", "high")),
            Map.entry("service_tier", Set.of("auto", "default", "flex", "priority", "scale")),
            Map.entry("modalities[]", Set.of("text", "audio")),
            Map.entry("audio.format", Set.of("wav", "mp3", "flac", "opus", "pcm16", "aac")));

    /**
     * Binary payloads carried as base64: not text when they are standard base64 that decodes to the start of the
     * media the field carries (so a token pasted into the field, which is not an image, is still inspected).
     */
    private static final Map<String, Media> BASE64 = Map.of(
            "messages[].content[].image_url.url", Media.IMAGE,
            "messages[].content[].input_audio.data", Media.AUDIO,
            "messages[].content[].file.file_data", Media.DOCUMENT);

    enum Media { IMAGE, AUDIO, DOCUMENT }

    /**
     * Field names of the OpenAI request shapes. As object keys they are protocol, not content; any other key (a
     * {@code metadata} key, a JSON-schema property name, a vendor's field) is inspected as text too.
     */
    private static final Set<String> FIELD_NAMES = Set.of("model", "messages", "role", "content", "name", "type",
            "text", "image_url", "url", "detail", "input_audio", "data", "format", "file", "file_id", "file_data",
            "filename", "refusal", "tool_calls", "tool_call_id", "id", "function", "function_call", "functions",
            "arguments", "description", "parameters", "strict", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "json_schema", "schema", "stream", "stream_options", "include_usage", "max_tokens",
            "max_completion_tokens", "temperature", "top_p", "n", "stop", "seed", "presence_penalty",
            "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "user", "metadata", "store", "prompt",
            "suffix", "echo", "best_of", "input", "encoding_format", "dimensions", "reasoning_effort", "service_tier",
            "modalities", "audio", "voice", "prediction", "properties", "items", "required", "enum",
            "additionalProperties", "anyOf", "allOf", "oneOf", "$ref", "$defs", "definitions", "pattern", "minimum",
            "maximum", "minLength", "maxLength", "minItems", "maxItems", "default", "title", "const", "nullable",
            "top_k", "min_p", "repetition_penalty");

    /** Whether the string {@code value} at {@code path} is, by the documented schema, not text. */
    static boolean notText(String path, String value) {
        if (path.equals("model")) return true; // checked against the catalogue by routing, replaced by the upstream name
        Set<String> words = ENUMS.get(path);
        if (words != null) return words.contains(value);
        Media media = BASE64.get(path);
        if (media != null) return isBinaryPayload(value, media);
        return false;
    }

    /** Whether the object key {@code key} (of the object at {@code path}) is, by the schema, not text. */
    static boolean keyNotText(String path, String key) {
        if (FIELD_NAMES.contains(key)) return true;
        return path.equals("logit_bias") && isDigits(key); // token ids
    }

    /** {@code data:<type>;base64,<payload>} or bare base64, whose decoded start is an {@code media} file's signature. */
    static boolean isBinaryPayload(String v, Media media) {
        int start = 0;
        if (v.startsWith("data:")) {
            int comma = v.indexOf(',');
            if (comma < 0 || comma > 256 || !v.substring(0, comma).endsWith(";base64")) return false;
            start = comma + 1;
        }
        int len = v.length() - start;
        if (len < 16 || len % 4 != 0) return false;
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '=' && i >= v.length() - 2;
            if (!ok) return false;
        }
        byte[] head;
        try {
            head = java.util.Base64.getDecoder().decode(v.substring(start, start + 16));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return switch (media) {
            case IMAGE -> starts(head, 0x89, 'P', 'N', 'G') || starts(head, 0xFF, 0xD8, 0xFF) || starts(head, 'G', 'I', 'F', '8')
                    || starts(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P';
            case AUDIO -> starts(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'A' && head[10] == 'V'
                    || starts(head, 'I', 'D', '3') || (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0;
            case DOCUMENT -> starts(head, '%', 'P', 'D', 'F') || starts(head, 'P', 'K', 3, 4);
        };
    }

    private static boolean starts(byte[] b, int... sig) {
        for (int i = 0; i < sig.length; i++) if ((b[i] & 0xFF) != sig[i]) return false;
        return true;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 12) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }
}
