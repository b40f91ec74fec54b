package dev.bastion.privacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads consent records as an API body, a CSV file or JSON lines (bulk import from an existing consent-management
 * system). Fields: {@code subject}, {@code purpose}, {@code state} ({@code granted} | {@code withdrawn}, default
 * granted), {@code basis} (default {@code consent}), {@code evidence}, {@code expires_at} (RFC 3339). Errors name
 * the line and field, never a value.
 */
public final class ConsentImport {
    public static final Set<String> FIELDS = Set.of("subject", "purpose", "state", "basis", "evidence", "expires_at");
    /** The same alphabet as {@code X-Bastion-Subject}, so an id recorded here matches the header. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern PURPOSE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final int MAX_RECORDS = 100_000;
    /** One object per line: a second object (or anything) after it, or a repeated key, refuses the line. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConsentImport() {}

    /** One record from its fields; {@code purposes} (if not empty) are the ones the policy declares. */
    public static ConsentChange change(Map<String, String> f, Set<String> purposes) {
        for (String k : f.keySet()) if (!FIELDS.contains(k)) throw new IllegalArgumentException("unknown field");
        String subject = f.get("subject");
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("subject: 1 to 128 letters, digits or . _ : -");
        }
        String purpose = f.get("purpose");
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) throw new IllegalArgumentException("purpose: a label");
        if (!purposes.isEmpty() && !purposes.contains(purpose)) {
            throw new IllegalArgumentException("purpose: not declared in the policy");
        }
        String state = f.getOrDefault("state", "granted");
        if (!state.equals("granted") && !state.equals("withdrawn")) {
            throw new IllegalArgumentException("state: granted or withdrawn");
        }
        LawfulBasis basis = LawfulBasis.parse(f.getOrDefault("basis", "consent")).orElseThrow(() ->
                new IllegalArgumentException("basis: consent, contract, legal-obligation, vital-interest, "
                        + "public-task or legitimate-interest"));
        String evidence = f.get("evidence");
        if (evidence != null && (evidence.isEmpty() || evidence.length() > 512
                || evidence.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("evidence: 1 to 512 characters without control characters");
        }
        Instant expires = null;
        String e = f.get("expires_at");
        if (e != null && !e.isEmpty()) {
            try {
                expires = Instant.parse(e);
            } catch (DateTimeParseException ex) {
                throw new IllegalArgumentException("expires_at: an RFC 3339 time such as 2027-01-31T00:00:00Z");
            }
        }
        return new ConsentChange(subject, purpose, state.equals("granted"), basis, evidence, expires);
    }

    /** A JSON object's fields as strings (numbers and booleans are refused: every field is text). */
    public static Map<String, String> fields(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : object.properties()) {
            if (e.getValue().isNull()) continue;
            if (!e.getValue().isTextual()) throw new IllegalArgumentException(safe(e.getKey()) + ": must be a string");
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** CSV with a header line naming the fields (RFC 4180 quoting), or JSON lines. */
    public static List<ConsentChange> parse(byte[] body, boolean csv, Set<String> purposes) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<ConsentChange> out = new ArrayList<>();
        List<String> header = null;
        int line = 0;
        for (String raw : text.split("\r?\n", -1)) {
            line++;
            if (raw.isBlank()) continue;
            if (out.size() == MAX_RECORDS) throw new IllegalArgumentException("more than " + MAX_RECORDS + " records");
            try {
                if (!csv) {
                    JsonNode n = JSON.readTree(raw);
                    if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
                    out.add(change(fields(n), purposes));
                } else if (header == null) {
                    header = csvLine(raw);
                    for (String h : header) if (!FIELDS.contains(h)) throw new IllegalArgumentException("unknown column");
                } else {
                    List<String> cells = csvLine(raw);
                    if (cells.size() != header.size()) throw new IllegalArgumentException("expected " + header.size() + " cells");
                    Map<String, String> f = new LinkedHashMap<>();
                    for (int i = 0; i < cells.size(); i++) if (!cells.get(i).isEmpty()) f.put(header.get(i), cells.get(i));
                    out.add(change(f, purposes));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + line + ": not JSON");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + line + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<String> csvLine(String s) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException("unterminated quote");
        cells.add(cell.toString().strip());
        return cells;
    }

    private static String safe(String key) {
        return FIELDS.contains(key) ? key : "a field";
    }
}
