package dev.bastion.models;

import dev.bastion.gguf.GgufFile;
import dev.bastion.gguf.GgufFormatException;
import dev.bastion.gguf.GgufLimits;
import dev.bastion.gguf.GgufReader;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.gguf.ModelFileDigest.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Imports a GGUF file as a managed model: checks its header (cheap, before hashing gigabytes), computes its SHA-256
 * with progress, and records digest, size and what the metadata says (architecture, quantization, context length,
 * chat template). The file stays where it is; the digest pins it.
 */
public final class ModelImporter {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,63}");

    private final ModelStore store;
    private final Clock clock;

    public ModelImporter(ModelStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Whether {@code name} is a name a model may have (1-64 of lower-case letters, digits, {@code . _ : -}). */
    public static boolean validName(String name) { return name != null && NAME.matcher(name).matches(); }

    /** Whether a model is recorded under {@code name}. */
    public boolean isImported(String name) { return store.find(name).isPresent(); }

    public ImportedModel importModel(Path file, String name, String importedBy, Progress progress)
            throws ModelImportException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ModelImportException(ModelImportException.Reason.INVALID_NAME,
                    "model names are 1-64 characters: lower-case letters, digits, '.', '_', ':' and '-'");
        }
        if (store.find(name).isPresent()) {
            throw new ModelImportException(ModelImportException.Reason.NAME_TAKEN, "a model named " + name + " exists");
        }
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
            throw new ModelImportException(ModelImportException.Reason.NOT_FOUND, "no readable file at " + abs);
        }
        GgufFile meta;
        long size;
        String digest;
        try {
            meta = GgufReader.read(abs, GgufLimits.scalarsOnly());
            size = Files.size(abs);
            digest = sha256(abs, progress);
            if (Files.size(abs) != size) {
                throw new ModelImportException(ModelImportException.Reason.CHANGED_WHILE_READING,
                        "the file changed while it was being hashed");
            }
        } catch (GgufFormatException e) {
            throw new ModelImportException(ModelImportException.Reason.NOT_GGUF,
                    "not a GGUF model file (" + e.reason() + " at byte " + e.offset() + ")");
        } catch (IOException e) {
            throw new ModelImportException(ModelImportException.Reason.IO,
                    "cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
        String arch = meta.architecture().orElseThrow(() -> new ModelImportException(
                ModelImportException.Reason.UNSUPPORTED_MODEL, "the file names no general.architecture"));
        var ctx = meta.contextLength();
        ImportedModel m = new ImportedModel(name, digest, size, abs, arch, meta.quantization(),
                ctx.isPresent() ? ctx.getAsLong() : null, meta.chatTemplate().orElse(null),
                meta.tokenizerModel().orElse(null), clock.millis(), importedBy);
        if (!store.insert(m)) {
            throw new ModelImportException(ModelImportException.Reason.NAME_TAKEN, "a model named " + name + " exists");
        }
        return m;
    }

    /**
     * For {@code serve --model FILE}: the model recorded under {@code name} if it is this same file, else a fresh
     * import. A recorded model is not hashed again here: the engine worker verifies the recorded digest before it
     * loads, and refuses a file that changed since the import.
     */
    public ImportedModel ensureImported(Path file, String name, String importedBy, Progress progress)
            throws ModelImportException {
        Path abs = file.toAbsolutePath().normalize();
        var existing = store.find(name);
        if (existing.isPresent()) {
            if (!existing.get().path().equals(abs)) {
                throw new ModelImportException(ModelImportException.Reason.NAME_TAKEN,
                        "a model named " + name + " exists for another file");
            }
            return existing.get();
        }
        return importModel(abs, name, importedBy, progress);
    }

    /** A model name derived from a file name: {@code Llama-3.2-1B.Q8_0.gguf} becomes {@code llama-3.2-1b.q8_0}. */
    public static String nameFor(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".gguf")) n = n.substring(0, n.length() - 5);
        n = n.replaceAll("[^a-z0-9._:-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (n.length() > 64) n = n.substring(0, 64);
        return n.isEmpty() ? "model" : n;
    }

    /** SHA-256 of a file as lower-case hex, reporting progress about every 1 % (and at the end). */
    public static String sha256(Path file, Progress progress) throws IOException {
        return ModelFileDigest.sha256(file, progress);
    }
}
