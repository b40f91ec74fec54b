package dev.bastion.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the {@code inspect} section into {@link InspectSettings} (kept apart from ConfigLoader). */
final class InspectConfig {
    private InspectConfig() {}

    static InspectSettings read(ConfigReader r) {
        InspectSettings d = InspectSettings.DEFAULTS;
        ConfigReader i = r.section("injection");
        InspectSettings.SecondStage stage = i.choice("second-stage", InspectSettings.SecondStage.class, d.injection().secondStage());
        InspectSettings.OnnxModel onnx = null;
        int label = 1, maxTokens = 256;
        double refuseAt = 0.5, lo = 0.5, hi = 0.9;
        ConfigReader o = i.section("onnx");
        if (stage == InspectSettings.SecondStage.ONNX) {
            onnx = model(o);
            label = o.integer("label", 1, 0, 10_000);
            refuseAt = decimal(o, "refuse-at", 0.5, 0.000001, 0.999999);
            lo = decimal(o, "band-low", 0.5, 0, 1);
            hi = decimal(o, "band-high", 0.9, 0, 1);
            if (hi < lo) o.problem("band-high", "must not be below band-low");
            maxTokens = o.integer("max-tokens", 256, 8, 8192);
        } else if (!o.keys().isEmpty()) {
            i.problem("onnx", "is only read with second-stage: onnx");
            o.keys().forEach(k -> o.string(k, null));
        }
        InspectSettings.Injection injection = new InspectSettings.Injection(stage, onnx, label, refuseAt, lo, hi, maxTokens);

        ConfigReader u = r.section("untrusted");
        InspectSettings.Untrusted du = d.untrusted();
        String spot = u.string("spotlight", null);
        InspectSettings.Spotlight spotlight = du.spotlight();
        if (spot != null) {
            switch (spot.trim().toLowerCase(Locale.ROOT)) {
                case "off", "false", "no" -> spotlight = InspectSettings.Spotlight.OFF;
                case "delimit" -> spotlight = InspectSettings.Spotlight.DELIMIT;
                case "datamark" -> spotlight = InspectSettings.Spotlight.DATAMARK;
                default -> u.problem("spotlight", "must be one of [off, delimit, datamark] (got '" + spot + "')");
            }
        }
        List<String> roles = u.keys().contains("roles") ? u.strings("roles") : du.roles();
        List<String> tags = u.keys().contains("document-tags") ? u.strings("document-tags") : du.documentTags();
        InspectSettings.Untrusted untrusted = new InspectSettings.Untrusted(spotlight, roles, tags,
                u.bool("quoted-email", du.quotedEmail()));

        ConfigReader n = r.section("ner");
        InspectSettings.Ner ner = null;
        if (!n.keys().isEmpty()) {
            InspectSettings.OnnxModel m = model(n);
            List<String> labels = n.strings("labels");
            if (labels.isEmpty()) n.problem("labels", "is required (the model's label names in output order)");
            ConfigReader t = n.section("types");
            Map<String, String> types = new LinkedHashMap<>();
            for (String k : t.keys()) types.put(k, t.string(k, "").trim().toUpperCase(Locale.ROOT));
            ner = new InspectSettings.Ner(m, labels, types, n.integer("max-tokens", 512, 8, 8192),
                    decimal(n, "min-score", 0.5, 0, 1));
        }
        return new InspectSettings(injection, untrusted, ner);
    }

    private static InspectSettings.OnnxModel model(ConfigReader r) {
        String model = r.requiredString("model");
        String tokenizer = r.requiredString("tokenizer");
        return new InspectSettings.OnnxModel(model.isEmpty() ? null : Path.of(model), sha(r, "model-sha256"),
                tokenizer.isEmpty() ? null : Path.of(tokenizer), sha(r, "tokenizer-sha256"));
    }

    private static String sha(ConfigReader r, String key) {
        String v = r.requiredString(key).trim();
        if (!v.isEmpty() && !v.matches("[0-9a-fA-F]{64}")) r.problem(key, "must be a SHA-256 in hex (64 digits)");
        return v;
    }

    private static double decimal(ConfigReader r, String key, double fallback, double min, double max) {
        String raw = r.string(key, null);
        if (raw == null) return fallback;
        try {
            double v = Double.parseDouble(raw.trim());
            if (!(v >= min && v <= max)) {
                r.problem(key, "must be between " + min + " and " + max + " (got " + raw + ")");
                return fallback;
            }
            return v;
        } catch (NumberFormatException e) {
            r.problem(key, "must be a number (got '" + raw + "')");
            return fallback;
        }
    }
}
