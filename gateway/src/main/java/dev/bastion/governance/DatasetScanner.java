package dev.bastion.governance;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.inspect.Inspector;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scans a dataset with Bastion's own detectors: one record per line (a JSONL line's string values, or a text line),
 * counting records with personal data and findings by type. Values are never kept.
 */
final class DatasetScanner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RECORD_CHARS = 256 * 1024;

    private final Inspector inspector;

    DatasetScanner(Inspector inspector) {
        this.inspector = inspector;
    }

    record Report(long records, long piiRecords, Map<String, Long> byType) {}

    Report scan(Path file) {
        boolean jsonl = file.getFileName().toString().endsWith(".jsonl");
        long records = 0;
        long piiRecords = 0;
        Map<String, Long> byType = new TreeMap<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                if (line.length() > MAX_RECORD_CHARS) throw LocalArtifacts.invalid("a dataset record is longer than 256 KiB");
                records++;
                String text = jsonl ? strings(line, records) : line;
                Map<String, Long> found = Scoring.personalData(inspector, text);
                if (!found.isEmpty()) piiRecords++;
                found.forEach((k, v) -> byType.merge(k, v, Long::sum));
            }
        } catch (CharacterCodingException e) {
            throw LocalArtifacts.invalid("the dataset is not UTF-8 text");
        } catch (IOException e) {
            throw LocalArtifacts.invalid("cannot read the dataset (" + e.getClass().getSimpleName() + ")");
        }
        return new Report(records, piiRecords, byType);
    }

    /** A JSONL record's string values, one per line, so detectors see each field as text. */
    private static String strings(String line, long record) {
        try {
            StringBuilder sb = new StringBuilder();
            collect(JSON.readTree(line), sb);
            return sb.toString();
        } catch (JacksonException e) {
            throw LocalArtifacts.invalid("dataset record " + record + " is not JSON");
        }
    }

    private static void collect(JsonNode n, StringBuilder sb) {
        if (n.isTextual()) sb.append(n.asText()).append('\n');
        else if (n.isContainerNode()) n.forEach(child -> collect(child, sb));
    }
}
