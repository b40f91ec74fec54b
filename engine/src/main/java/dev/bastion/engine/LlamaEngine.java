package dev.bastion.engine;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that talks to the llama.cpp binding: loads the model, applies its chat template, tokenizes, generates
 * and embeds. Generations run on llama.cpp's own slot thread; callers block on the results.
 */
public final class LlamaEngine implements AutoCloseable {

    /** One chat message, role already validated ({@code system}, {@code user} or {@code assistant}). */
    public record Message(String role, String content) {}

    private final LlamaModel model;
    private final int slotContext;
    private final boolean embeddings;
    private final Set<LlamaIterator> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private LlamaEngine(LlamaModel model, int slotContext, boolean embeddings) {
        this.model = model;
        this.slotContext = slotContext;
        this.embeddings = embeddings;
    }

    /**
     * Loads a model. The binding's own logging is switched off unless asked for (it is a second, unstructured log
     * stream; when on, it goes to stderr).
     */
    public static LlamaEngine load(Path file, int threads, int contextSize, int parallel,
                                   boolean embeddings, boolean mmap, boolean nativeLogs) {
        return load(file, null, threads, contextSize, parallel, embeddings, mmap, nativeLogs);
    }

    /** As above, with a LoRA adapter (GGUF) applied on top of the model at full scale, or none when null. */
    public static LlamaEngine load(Path file, Path lora, int threads, int contextSize, int parallel,
                                   boolean embeddings, boolean mmap, boolean nativeLogs) {
        usePrivateNativeDirectory();
        ModelParameters p = new ModelParameters()
                .setModel(file.toString())
                .setThreads(threads)
                .setThreadsBatch(threads)
                .setCtxSize(contextSize)
                .setParallel(parallel);
        if (!nativeLogs) p.disableLog();
        if (!mmap) p.disableMmap();
        if (embeddings) p.enableEmbedding();
        if (lora != null) p.addLoraAdapter(lora.toString());
        return new LlamaEngine(new LlamaModel(p), contextSize / parallel, embeddings);
    }

    /**
     * The binding extracts its native library into {@code de.kherud.llama.tmpdir} (default: the shared temp
     * directory, where it also deletes other files whose names start with "llama"). This extracts it into a
     * private, owner-only directory instead, loads it at once, and removes the directory again: the library stays
     * mapped, no other local user can swap it before loading, and nothing is left behind however the process ends.
     * Call before any other use of the binding; idempotent.
     */
    public static synchronized void usePrivateNativeDirectory() {
        if (System.getProperty("de.kherud.llama.tmpdir") != null) return;
        Path dir;
        try {
            dir = Files.createTempDirectory("bastion-engine-native",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory for the native library", e);
        }
        System.setProperty("de.kherud.llama.tmpdir", dir.toString());
        try {
            Class.forName("de.kherud.llama.LlamaModel", true, LlamaEngine.class.getClassLoader()); // loads the library
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the llama.cpp binding is not on the classpath", e);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temporary directory: the OS cleans up eventually
            }
        }
    }

    public int slotContext() { return slotContext; }

    public boolean embeddingsEnabled() { return embeddings; }

    /** Renders messages with the chat template from the model's metadata, ending with the assistant's turn. */
    public String applyChatTemplate(List<Message> messages) {
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (Message m : messages) {
            if (m.role().equals("system")) {
                if (!system.isEmpty()) system.append("\n\n");
                system.append(m.content());
            } else {
                turns.add(new Pair<>(m.role(), m.content()));
            }
        }
        return model.applyTemplate(new InferenceParameters("").setMessages(system.toString(), turns));
    }

    public int[] tokenize(String text) { return model.encode(text); }

    public String detokenize(int[] tokens) { return model.decode(tokens); }

    public float[] embed(String text) { return model.embed(text); }

    /**
     * Generates, handing each piece of text to {@code sink} as llama.cpp releases it (it holds back text that could
     * be the start of a stop sequence). Completion tokens are counted per released piece.
     */
    GenerationRequest.Result generate(GenerationRequest r, GenerationRequest.ChunkSink sink) {
        if (closed) throw new IllegalStateException("engine closed");
        InferenceParameters p = new InferenceParameters(r.prompt()).setNPredict(r.maxTokens());
        if (r.temperature() != null) p.setTemperature(r.temperature());
        if (r.topP() != null) p.setTopP(r.topP());
        if (r.seed() != null) p.setSeed(r.seed());
        if (!r.stop().isEmpty()) p.setStopStrings(r.stop().toArray(String[]::new));
        LlamaIterator it = model.generate(p).iterator();
        running.add(it);
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        boolean cancelled = false;
        try {
            while (it.hasNext()) {
                LlamaOutput out = it.next();
                boolean last = !it.hasNext();
                if (!last || !out.text.isEmpty()) tokens++;
                if (!out.text.isEmpty()) {
                    text.append(out.text);
                    if (!sink.accept(out.text)) {
                        it.cancel();
                        cancelled = true;
                        break;
                    }
                }
                if (closed) {
                    it.cancel();
                    cancelled = true;
                    break;
                }
            }
        } finally {
            running.remove(it);
        }
        String finish = tokens >= r.maxTokens() ? "length" : "stop";
        return new GenerationRequest.Result(text.toString(), r.promptTokens(), tokens, finish, cancelled);
    }

    /** Cancels running generations and waits (bounded) until their threads have left the native code. */
    void cancelAll(long waitMillis) {
        closed = true;
        for (LlamaIterator it : running) {
            try {
                it.cancel();
            } catch (RuntimeException ignored) {
                // already finished
            }
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Cancels running generations and frees the model. Does not end the JVM: see {@link EngineMain}. */
    @Override
    public void close() {
        cancelAll(2_000);
        model.close();
    }
}
