package dev.bastion.engine;

import dev.bastion.gguf.SyntheticLlamaModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The binding, in process, on the generated model: what the worker builds on. */
class LlamaEngineTest {
    private static LlamaEngine engine;

    @BeforeAll
    static void load() {
        engine = LlamaEngine.load(TestModels.tiny(), 1, 512, 1, true, false, false);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void tokenizationRoundTripsExactly() {
        for (String s : List.of("Hello world", "The gateway checks the answer again.", "  two  spaces\nand\ttabs",
                "quotes \"and\" 'apostrophes' {json: [1, 2]}", "Grüße, naïve café", "中文字符 and emoji 🙂", "x")) {
            int[] tokens = engine.tokenize(s);
            assertThat(tokens).isNotEmpty();
            assertThat(engine.detokenize(tokens)).isEqualTo(s);
        }
        // merges learned from the built-in text make common words single tokens
        assertThat(engine.tokenize(" the")).hasSize(1);
    }

    @Test
    void chatTemplateComesFromTheModelMetadata(@TempDir Path dir) throws Exception {
        String chatml = engine.applyChatTemplate(List.of(new LlamaEngine.Message("system", "Be brief"),
                new LlamaEngine.Message("user", "Hi \"there\"\nfriend")));
        assertThat(chatml).isEqualTo("<|im_start|>system\nBe brief<|im_end|>\n<|im_start|>user\nHi \"there\"\n"
                + "friend<|im_end|>\n<|im_start|>assistant\n");

        Path other = dir.resolve("inst.gguf");
        String inst = "{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + "
                + "message['content'] + ' [/INST]' }}{% else %}{{ message['content'] }}{% endif %}{% endfor %}";
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny().withChatTemplate(inst), other);
        try (LlamaEngine e = LlamaEngine.load(other, 1, 128, 1, false, false, false)) {
            String rendered = e.applyChatTemplate(List.of(new LlamaEngine.Message("user", "Hi")));
            assertThat(rendered).contains("[INST]").contains("Hi").doesNotContain("<|im_start|>");
        }
    }

    @Test
    void greedyGenerationIsRepeatableAndStopsAtMaxTokens() {
        var req = new GenerationRequest("The gateway", 2, 12, 0f, null, null, List.of());
        List<String> chunks = new ArrayList<>();
        var first = engine.generate(req, t -> chunks.add(t));
        var second = engine.generate(req, t -> true);
        assertThat(first.text()).isNotEmpty().isEqualTo(second.text()).isEqualTo(String.join("", chunks));
        assertThat(first.completionTokens()).isEqualTo(12);
        assertThat(first.finishReason()).isEqualTo("length");
        assertThat(first.text().chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void stopSequenceEndsTheTextBeforeIt() {
        var baseline = engine.generate(new GenerationRequest("The worker", 2, 40, 0f, null, null, List.of()),
                t -> true).text();
        String stop = baseline.substring(9, 12);
        String expected = baseline.substring(0, baseline.indexOf(stop));
        var stopped = engine.generate(new GenerationRequest("The worker", 2, 40, 0f, null, null, List.of(stop)),
                t -> true);
        assertThat(stopped.text()).isEqualTo(expected);
        assertThat(stopped.finishReason()).isEqualTo("stop");
    }

    @Test
    void sinkReturningFalseCancelsTheGeneration() {
        int[] seen = {0};
        var r = engine.generate(new GenerationRequest("The", 1, 200, 0f, null, null, List.of()), t -> ++seen[0] < 3);
        assertThat(r.cancelled()).isTrue();
        assertThat(seen[0]).isEqualTo(3);
        // the slot is free again afterwards
        assertThat(engine.generate(new GenerationRequest("The", 1, 3, 0f, null, null, List.of()), t -> true)
                .completionTokens()).isEqualTo(3);
    }

    @Test
    void embeddingsHaveTheModelWidthAndAreDeterministic() {
        float[] a = engine.embed("private documents");
        assertThat(a).hasSize(64).isEqualTo(engine.embed("private documents"));
        assertThat(a).isNotEqualTo(engine.embed("something else"));
    }
}
