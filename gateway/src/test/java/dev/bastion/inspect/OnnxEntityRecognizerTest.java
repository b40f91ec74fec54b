package dev.bastion.inspect;

import dev.bastion.encoder.ModelFile;
import dev.bastion.encoder.OnnxTokenClassifier;
import dev.bastion.encoder.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The operator NER slot beside the built-in recognizer, merged with the documented precedence. */
class OnnxEntityRecognizerTest {
    @TempDir
    Path dir;

    private Inspector inspector() throws IOException {
        // labels O, B-ORG, B-PER; rows [UNK] [CLS] [SEP] paris john
        float[][] table = {{9, 0, 0}, {9, 0, 0}, {9, 0, 0}, {0, 9, 0}, {0, 0, 9}};
        byte[] model = TinyOnnx.tokenClassifier(table);
        byte[] tok = TinyOnnx.tokenizer(List.of("paris", "john")).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("ner.onnx"), model);
        Files.write(dir.resolve("tok.json"), tok);
        OnnxTokenClassifier ner = OnnxTokenClassifier.load(new ModelFile(dir.resolve("ner.onnx"), ModelFile.sha256(model)),
                new ModelFile(dir.resolve("tok.json"), ModelFile.sha256(tok)), List.of("O", "B-ORG", "B-PER"), 128);
        return Inspector.builder().injection(false)
                .recognizer(new OnnxEntityRecognizer(ner, GazetteerEntityRecognizer.standard(), Map.of(), 0.5)).build();
    }

    private static List<Finding> findings(Inspector i, String text) {
        return ((Inspection.Found) i.inspect(text)).findings();
    }

    @Test
    void aModelSpanBeatsTheBuiltInRecognizerWhereTheyOverlap() throws IOException {
        String t = "We met in Paris last week.";
        assertThat(findings(Inspector.builder().injection(false).build(), t)).extracting(Finding::type).containsExactly(EntityType.LOCATION);
        assertThat(findings(inspector(), t)).extracting(Finding::type, Finding::start, Finding::end)
                .containsExactly(tuple(EntityType.ORGANIZATION, 10, 15));
    }

    @Test
    void builtInFindingsTheModelDoesNotCoverAreKept() throws IOException {
        String t = "Maria Garcia flew to Paris.";
        assertThat(findings(inspector(), t)).extracting(Finding::type)
                .containsExactly(EntityType.PERSON, EntityType.ORGANIZATION);
    }

    @Test
    void patternDetectorsBeatTheModel() throws IOException {
        String t = "Write to john@example.com today.";
        assertThat(findings(inspector(), t)).extracting(Finding::type).containsExactly(EntityType.EMAIL_ADDRESS);
        assertThat(findings(inspector(), t).getFirst().score()).isGreaterThan(OnnxEntityRecognizer.MAX_SCORE);
    }
}
