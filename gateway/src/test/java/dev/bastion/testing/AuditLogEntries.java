package dev.bastion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.store.Database;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The audit log's entries as JSON, read from the gateway's own store. */
public final class AuditLogEntries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLogEntries() {}

    public static List<JsonNode> of(TestGateway gw) throws Exception {
        try (var store = Database.open(gw.config.store())) {
            var reader = AuditLogReader.of(store);
            List<JsonNode> out = new ArrayList<>();
            for (long i = 0; ; i++) {
                var e = reader.entry(i);
                if (e.isEmpty()) return out;
                out.add(JSON.readTree(new String(e.get(), StandardCharsets.UTF_8)));
            }
        }
    }
}
