package dev.bastion.bench.inspect;

import dev.bastion.encoder.SentenceEncoder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings of training and evaluation texts, kept in a file between runs (embedding a few thousand texts
 * costs about a minute; model choices are run many times over the same texts).
 */
final class EmbeddingCache {
    private final SentenceEncoder encoder;
    private final Path file;
    private final Map<String, float[]> cache = new HashMap<>();
    private int added;

    EmbeddingCache(SentenceEncoder encoder, Path file) throws IOException {
        this.encoder = encoder;
        this.file = file;
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    String t = in.readUTF();
                    float[] v = new float[in.readInt()];
                    for (int k = 0; k < v.length; k++) v[k] = in.readFloat();
                    cache.put(t, v);
                }
            }
        }
    }

    float[] get(String text) {
        String key = key(text);
        float[] v = cache.get(key);
        if (v == null) {
            v = encoder.embed(text);
            cache.put(key, v);
            added++;
        }
        return v;
    }

    void warm(List<String> texts) throws IOException {
        int i = 0;
        for (String t : texts) {
            get(t);
            if (++i % 500 == 0) System.err.printf("  embedded %d/%d%n", i, texts.size());
        }
        save();
    }

    void save() throws IOException {
        if (added == 0) return;
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(cache.size());
            for (var e : cache.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) out.writeFloat(f);
            }
        }
        added = 0;
    }

    /** writeUTF holds at most 64 KiB; long texts are keyed by their hash and length. */
    private static String key(String text) {
        return text.length() < 8000 ? text : "#" + text.hashCode() + ":" + text.length() + ":" + text.substring(0, 200);
    }
}
