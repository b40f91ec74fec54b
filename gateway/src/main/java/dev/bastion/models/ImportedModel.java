package dev.bastion.models;

import java.nio.file.Path;

/**
 * A model file as recorded at import.
 *
 * @param contextLength trained context length from the metadata, or null when the file does not say
 * @param chatTemplate  the Jinja chat template from the metadata, or null
 * @param tokenizer     {@code tokenizer.ggml.model}, e.g. {@code llama} or {@code gpt2}, or null
 */
public record ImportedModel(String name, String sha256, long sizeBytes, Path path, String architecture,
                            String quantization, Long contextLength, String chatTemplate, String tokenizer,
                            long importedAtMillis, String importedBy) {}
