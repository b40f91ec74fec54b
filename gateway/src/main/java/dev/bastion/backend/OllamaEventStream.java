package dev.bastion.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Ollama's NDJSON stream, read line by line and re-emitted as OpenAI stream chunks. */
final class OllamaEventStream implements EventStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINE = 4 * 1024 * 1024;

    private final UpstreamResponse response;
    private final InputStream in;
    private final Operation operation;
    private final OllamaAnswers.Ids ids;
    private final boolean includeUsage;
    private JsonNode last;
    private boolean first = true;
    private boolean usageSent;
    private boolean ended;
    private byte[] line = new byte[1024];

    OllamaEventStream(UpstreamResponse response, Operation operation, String model, boolean includeUsage) {
        this.response = response;
        this.in = response.body();
        this.operation = operation;
        this.ids = operation == Operation.CHAT ? OllamaAnswers.Ids.chat(model) : OllamaAnswers.Ids.completion(model);
        this.includeUsage = includeUsage;
    }

    @Override
    public byte[] next() throws IOException {
        if (ended) return null;
        if (last != null && last.path("done").asBoolean(false)) {
            ended = true;
            if (includeUsage && !usageSent) {
                usageSent = true;
                String object = operation == Operation.CHAT ? "chat.completion.chunk" : "text_completion";
                return JSON.writeValueAsBytes(OllamaAnswers.usageChunk(last, ids, object));
            }
            return null;
        }
        int len;
        do {
            len = readLine();
            if (len < 0) {
                ended = true;
                return null;
            }
        } while (len == 0);
        JsonNode o = JSON.readTree(Arrays.copyOf(line, len));
        if (o.has("error")) throw new IOException("backend reported an error mid-stream");
        last = o;
        var chunk = operation == Operation.CHAT ? OllamaAnswers.chatChunk(o, ids, first)
                : OllamaAnswers.completionChunk(o, ids);
        first = false;
        return JSON.writeValueAsBytes(chunk);
    }

    private int readLine() throws IOException {
        int len = 0;
        while (true) {
            int b = in.read();
            if (b < 0) return len == 0 ? -1 : len;
            if (b == '\n') return len;
            if (len == line.length) {
                if (len >= MAX_LINE) throw new IOException("NDJSON line too large");
                line = Arrays.copyOf(line, Math.min(len * 2, MAX_LINE + 1));
            }
            line[len++] = (byte) b;
        }
    }

    @Override
    public boolean ready() {
        try {
            return !ended && (last != null && last.path("done").asBoolean(false) || in.available() > 0);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void abort() {
        ended = true;
        response.abort();
    }

    @Override
    public void close() { response.close(); }
}
