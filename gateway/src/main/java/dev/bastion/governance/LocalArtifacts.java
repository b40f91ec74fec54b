package dev.bastion.governance;

import dev.bastion.gguf.GgufFile;
import dev.bastion.gguf.GgufFormatException;
import dev.bastion.gguf.GgufLimits;
import dev.bastion.gguf.GgufReader;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a local GGUF artifact for registration: checks the header first (cheap, before hashing gigabytes), then
 * hashes the file with progress and records what the metadata says. A LoRA adapter is a GGUF file whose
 * {@code general.type} is {@code adapter} and {@code adapter.type} is {@code lora}.
 */
public final class LocalArtifacts {
    private LocalArtifacts() {}

    /** What a GGUF file is: a model or an adapter. */
    public record Read(RegistryEntry.Artifact artifact, RegistryEntry.Kind kind) {}

    public static Read read(Path file, ModelFileDigest.Progress progress) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) throw invalid("no readable file at " + abs);
        try {
            GgufFile meta = GgufReader.read(abs, GgufLimits.scalarsOnly());
            long size = Files.size(abs);
            String sha256 = ModelFileDigest.sha256(abs, progress);
            if (Files.size(abs) != size) throw invalid("the file changed while it was being hashed");
            String arch = meta.architecture().orElseThrow(() -> invalid("the file names no general.architecture"));
            boolean adapter = meta.string("general.type").map(t -> t.equals("adapter")).orElse(false);
            if (adapter && !meta.string("adapter.type").map(t -> t.toLowerCase(Locale.ROOT).equals("lora")).orElse(false)) {
                throw invalid("only LoRA adapters are supported (adapter.type)");
            }
            var ctx = meta.contextLength();
            var artifact = new RegistryEntry.Artifact(sha256, size, "gguf", abs, arch, adapter ? "lora" : meta.quantization(),
                    ctx.isPresent() ? ctx.getAsLong() : null, meta.chatTemplate().orElse(null),
                    meta.tokenizerModel().orElse(null));
            return new Read(artifact, adapter ? RegistryEntry.Kind.ADAPTER : RegistryEntry.Kind.MODEL);
        } catch (GgufFormatException e) {
            throw invalid("not a GGUF file (" + e.reason() + " at byte " + e.offset() + ")");
        } catch (IOException e) {
            throw invalid("cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A registry name derived from a file name: {@code Llama-3.2-1B.Q8_0.gguf} becomes {@code llama-3.2-1b.q8_0}. */
    public static String nameFor(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gguf")) n = n.substring(0, n.length() - 5);
        n = n.replaceAll("[^a-z0-9._:-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (n.length() > 64) n = n.substring(0, 64);
        return n.isEmpty() ? "model" : n;
    }

    static ProblemException invalid(String message) {
        return new ProblemException(ErrorCode.ARTIFACT_INVALID.problem(message));
    }
}
