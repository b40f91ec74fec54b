package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/** Renders a {@link CardDocument} as Markdown: the card's sections, then one table per attached evaluation. */
final class CardMarkdown {
    private CardMarkdown() {}

    static String render(CardDocument doc) {
        JsonNode o = doc.json();
        JsonNode e = o.path("entry");
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(inline(e.path("name").asText())).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Registry id", e.path("id").asText());
        row(md, "Card version", Long.toString(doc.version()));
        row(md, "Card digest", doc.digest());
        row(md, "Kind", e.path("kind").asText() + ", " + e.path("source").asText());
        if (e.has("artifact_digest")) row(md, "Artifact", e.path("artifact_digest").asText());
        if (e.has("architecture")) {
            row(md, "Format", e.path("format").asText() + " (" + e.path("architecture").asText() + ", "
                    + e.path("quantization").asText() + ", " + e.path("size_bytes").asLong() + " bytes)");
        }
        if (e.has("backend")) row(md, "Backend", e.path("backend").asText() + " / " + e.path("upstream_model").asText());
        if (e.has("base")) row(md, "Base model", e.path("base").asText());
        if (e.has("dataset")) row(md, "Training dataset", e.path("dataset").asText());
        if (e.has("source_url")) row(md, "Source", e.path("source_url").asText());
        if (e.has("signature")) {
            JsonNode s = e.path("signature");
            row(md, "Signature", "verified offline (" + s.path("method").asText() + ", signer "
                    + s.path("signer").asText() + (s.has("signer_name") ? ", " + s.path("signer_name").asText() : "")
                    + ")");
        }
        row(md, "Risk tier", text(o, "risk"));
        row(md, "Licence", text(o, "licence"));
        row(md, "Contact", text(o, "contact"));
        md.append('\n');
        section(md, "Intended use", o.path("intended_use"));
        section(md, "Out-of-scope uses", o.path("out_of_scope_uses"));
        section(md, "Training data", o.path("training_data"));
        section(md, "Limitations and failure modes", o.path("limitations"));
        md.append("## Evaluations\n\n");
        if (o.path("evaluations").isEmpty()) md.append("None yet.\n\n");
        for (JsonNode ev : o.path("evaluations")) evaluation(md, ev);
        return md.toString();
    }

    private static void evaluation(StringBuilder md, JsonNode ev) {
        md.append("### ").append(inline(ev.path("suite").asText())).append(" (").append(ev.path("kind").asText())
                .append(")\n\n");
        md.append("Run `").append(ev.path("run_id").asText()).append("`, ").append(ev.path("items").asLong())
                .append(" items, finished ").append(ev.path("finished_at").asText()).append("; suite ")
                .append(ev.path("suite_digest").asText()).append(".\n\n");
        JsonNode gate = ev.path("gate");
        if (gate.isObject()) {
            md.append("Gate: ").append(gate.path("metric").asText()).append(' ').append(gate.path("op").asText())
                    .append(' ').append(gate.path("threshold").asText()).append(" — measured ")
                    .append(gate.path("value").asText()).append(": **")
                    .append(gate.path("passed").asBoolean() ? "passed" : "FAILED").append("**\n\n");
        }
        md.append("| metric | value |\n|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = ev.path("metrics").properties().iterator(); it.hasNext(); ) {
            var m = it.next();
            md.append("| ").append(m.getKey()).append(" | ").append(m.getValue().asText()).append(" |\n");
        }
        md.append('\n');
        if (ev.path("groups").size() > 0) {
            md.append("| group | items | passed | accuracy |\n|---|---|---|---|\n");
            for (JsonNode g : ev.path("groups")) {
                md.append("| ").append(cell(g.path("group").asText())).append(" | ").append(g.path("items").asLong())
                        .append(" | ").append(g.path("passed").asLong()).append(" | ")
                        .append(g.path("accuracy").asText()).append(" |\n");
            }
            md.append('\n');
        }
        if (ev.path("by_type").size() > 0) {
            md.append("| type | count |\n|---|---|\n");
            for (var t : ev.path("by_type").properties()) {
                md.append("| ").append(t.getKey()).append(" | ").append(t.getValue().asLong()).append(" |\n");
            }
            md.append('\n');
        }
    }

    private static void section(StringBuilder md, String title, JsonNode value) {
        md.append("## ").append(title).append("\n\n");
        if (value.isArray()) {
            if (value.isEmpty()) md.append("_Not documented._\n");
            for (JsonNode i : value) md.append("- ").append(inline(i.asText())).append('\n');
        } else if (value.isTextual()) {
            md.append(value.asText()).append('\n');
        } else {
            md.append("_Not documented._\n");
        }
        md.append('\n');
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isTextual() ? v.asText() : "—";
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
    }

    private static String cell(String s) { return inline(s).replace("|", "\\|"); }

    private static String inline(String s) { return s.replace('\n', ' ').replace('\r', ' '); }
}
