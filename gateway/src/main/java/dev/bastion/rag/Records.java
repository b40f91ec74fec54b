package dev.bastion.rag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Record paths and byte layouts of what retrieval stores behind the barrier:
 * <pre>
 * rag/collections/NAME                 collection settings (JSON)
 * rag/docs/NAME/DOC                    document metadata (JSON)
 * rag/digests/NAME/SHA256HEX           DOC (a document's id by the digest of its bytes, for duplicate uploads)
 * rag/chunks/DOC/SEQ                   chunk: heading, text, page, embedding (binary, below)
 * rag/pseudonyms/DOC                   the document's pseudonym → original map (JSON), pseudonymising collections only
 * rag/subjects/TOKEN/DOC               empty: the document concerns the subject with this keyed token
 * </pre>
 */
final class Records {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_FORMAT = 1;

    static final String COLLECTIONS = "rag/collections";

    static String collection(String name) { return COLLECTIONS + "/" + name; }

    static String docs(String collection) { return "rag/docs/" + collection; }

    static String doc(String collection, String id) { return docs(collection) + "/" + id; }

    static String digests(String collection) { return "rag/digests/" + collection; }

    static String digest(String collection, String sha256Hex) { return digests(collection) + "/" + sha256Hex; }

    static String chunks(String doc) { return "rag/chunks/" + doc; }

    static String chunk(String doc, int seq) { return chunks(doc) + "/" + seq; }

    static String pseudonyms(String doc) { return "rag/pseudonyms/" + doc; }

    static String subjects(String token) { return "rag/subjects/" + token; }

    static String subject(String token, String doc) { return subjects(token) + "/" + doc; }

    /** The document id of a chunk path. */
    static String docOfChunk(String chunkPath) {
        int end = chunkPath.lastIndexOf('/');
        return chunkPath.substring(chunkPath.lastIndexOf('/', end - 1) + 1, end);
    }

    static String last(String path) { return path.substring(path.lastIndexOf('/') + 1); }

    /** A chunk as stored: what is shown (heading, text, page) and its embedding (null without one). */
    record StoredChunk(int seq, String heading, String text, int page, float[] vector) {
        @Override
        public String toString() { return "StoredChunk[" + seq + ", <redacted>]"; }
    }

    static byte[] encode(StoredChunk c) {
        try {
            var bytes = new ByteArrayOutputStream(c.text().length() + 64 + (c.vector() == null ? 0 : c.vector().length * 4));
            var out = new DataOutputStream(bytes);
            out.writeByte(CHUNK_FORMAT);
            out.writeInt(c.seq());
            out.writeInt(c.page());
            string(out, c.heading());
            string(out, c.text());
            float[] v = c.vector();
            out.writeInt(v == null ? -1 : v.length);
            if (v != null) for (float f : v) out.writeFloat(f);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StoredChunk decodeChunk(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != CHUNK_FORMAT) throw new IllegalStateException("unknown chunk record format");
            int seq = in.readInt();
            int page = in.readInt();
            String heading = string(in);
            String text = string(in);
            int n = in.readInt();
            float[] v = null;
            if (n >= 0) {
                v = new float[n];
                for (int i = 0; i < n; i++) v[i] = in.readFloat();
            }
            return new StoredChunk(seq, heading, text, page, v);
        } catch (IOException e) {
            throw new IllegalStateException("chunk record is damaged", e);
        }
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record does not serialise", e);
        }
    }

    static <T> T json(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("record is damaged: " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> stringMap(byte[] bytes) { return json(bytes, Map.class); }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) throw new IOException("bad length");
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private Records() {}
}
