package dev.bastion.encoder;

import dev.bastion.encoder.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Operator-supplied ONNX models (generated here, tiny) through the real ONNX Runtime and tokenizer binding. */
class OperatorModelsTest {
    @TempDir
    Path dir;

    private ModelFile write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return new ModelFile(p, ModelFile.sha256(bytes));
    }

    private ModelFile tokenizer(List<String> words) throws IOException {
        return write("tokenizer.json", TinyOnnx.tokenizer(words).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sequenceClassifierGivesTheConfiguredLabelsSoftmaxProbability() throws IOException {
        // rows: [UNK] [CLS] [SEP] ignore hello — the logits are the mean of the rows of the sequence's tokens
        float[][] table = {{0, 0}, {0, 0}, {0, 0}, {0, 6}, {3, 0}};
        ModelFile model = write("cls.onnx", TinyOnnx.sequenceClassifier(table));
        try (OnnxSequenceClassifier c = OnnxSequenceClassifier.load(model, tokenizer(List.of("ignore", "hello")), 1, 64)) {
            assertThat(c.probability("IGNORE")).isCloseTo(1 / (1 + Math.exp(-2.0)), within(1e-5)); // mean [0, 2]
            assertThat(c.probability("hello")).isCloseTo(1 / (1 + Math.exp(1.0)), within(1e-5));   // mean [1, 0]
            assertThat(c.probability("hello ignore")).isGreaterThan(0.5);
        }
    }

    @Test
    void aModelFileWhoseDigestDiffersIsRefusedBeforeItIsParsed() throws IOException {
        ModelFile good = write("cls.onnx", TinyOnnx.sequenceClassifier(new float[][]{{0, 0}, {0, 0}, {0, 0}}));
        ModelFile swapped = new ModelFile(good.path(), "0".repeat(64));
        assertThatThrownBy(() -> OnnxSequenceClassifier.load(swapped, tokenizer(List.of()), 1, 64))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("digest mismatch");
        Files.write(good.path(), "not onnx".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> OnnxSequenceClassifier.load(new ModelFile(good.path(), ModelFile.sha256("not onnx".getBytes(StandardCharsets.UTF_8))),
                tokenizer(List.of()), 1, 64)).isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> new ModelFile(good.path(), "abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLabelIndexBeyondTheModelsLabelsIsRefused() throws IOException {
        ModelFile model = write("cls.onnx", TinyOnnx.sequenceClassifier(new float[][]{{0, 0}, {0, 0}, {0, 0}}));
        assertThatThrownBy(() -> OnnxSequenceClassifier.load(model, tokenizer(List.of()), 2, 64))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("label index");
    }

    @Test
    void tokenClassifierReportsCharSpansOfBioTaggedWordsInEveryWindow() throws IOException {
        List<String> labels = List.of("O", "B-PER", "I-PER", "B-LOC");
        // rows: [UNK] [CLS] [SEP] john smith paris call in
        float[][] table = {{5, 0, 0, 0}, {5, 0, 0, 0}, {5, 0, 0, 0}, {0, 5, 0, 0}, {0, 0, 5, 0}, {0, 0, 0, 5},
                {5, 0, 0, 0}, {5, 0, 0, 0}};
        ModelFile model = write("ner.onnx", TinyOnnx.tokenClassifier(table));
        try (OnnxTokenClassifier ner = OnnxTokenClassifier.load(model,
                tokenizer(List.of("john", "smith", "paris", "call", "in")), labels, 512)) {
            String text = "Call John Smith in Paris";
            assertThat(ner.find(text)).extracting(TokenSpan::label, TokenSpan::start, TokenSpan::end)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("PER", 5, 15), org.assertj.core.groups.Tuple.tuple("LOC", 19, 24));
            // offsets are UTF-16 chars, not bytes or code points
            String accented = "Café 😀 John Smith";
            assertThat(ner.find(accented)).singleElement()
                    .satisfies(s -> assertThat(accented.substring(s.start(), s.end())).isEqualTo("John Smith"));
            // a long text is read in windows: offsets stay relative to the whole text
            String filler = "call in ".repeat(400);
            String longer = filler + "John Smith";
            assertThat(ner.find(longer)).singleElement().satisfies(s -> {
                assertThat(longer.substring(s.start(), s.end())).isEqualTo("John Smith");
                assertThat(s.score()).isGreaterThan(0.9);
            });
        }
    }

    @Test
    void anOperatorSentenceEncoderIsMeanPooledAndUnitLength() throws IOException {
        float[][] table = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 4}};
        ModelFile model = write("enc.onnx", TinyOnnx.sentenceEncoder(table));
        try (OnnxSentenceEncoder enc = OnnxSentenceEncoder.of(model, tokenizer(List.of("x")), 32)) {
            float[] v = enc.embed("x");
            assertThat(enc.dimension()).isEqualTo(3);
            // mean of [1,0,0], [0,0,4], [0,1,0] = [1/3, 1/3, 4/3], normalised
            double n = Math.sqrt(18) / 3;
            assertThat(v).containsExactly(new float[]{(float) (1 / 3.0 / n), (float) (1 / 3.0 / n), (float) (4 / 3.0 / n)}, within(1e-5f));
        }
    }
}
