package dev.bastion.backend;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.bastion.testing.StandInOllama;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An Ollama backend behind Bastion looks like any OpenAI server to the official SDK. */
class OllamaBackendTest {
    static StandInOllama ollama;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        ollama = new StandInOllama();
        gateway = TestGateway.startYaml("""
                server: {port: 0}
                backends:
                  - {name: local-ollama, type: ollama, url: "%s", max-classification: internal}
                models:
                  - {alias: llama, backend: local-ollama, model: "llama3.2:1b"}
                """.formatted(ollama.baseUrl()));
        client = OpenAIOkHttpClient.builder().apiKey(gateway.developerKey()).baseUrl(gateway.openAiBase()).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        ollama.close();
    }

    @Test
    void chatIsTranslatedBothWays() {
        var c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("llama")
                .addSystemMessage("be brief").addUserMessage("hello").temperature(0.2).maxCompletionTokens(50L)
                .seed(7L).stop("END").putAdditionalBodyProperty("top_k", JsonValue.from(20)).build());
        assertThat(c.choices().getFirst().message().content()).contains("Hi there");
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(11);
        var sent = ollama.lastBody();
        assertThat(sent.path("model").asText()).isEqualTo("llama3.2:1b");
        assertThat(sent.path("stream").asBoolean()).isFalse();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("options").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("options").path("num_predict").asInt()).isEqualTo(50);
        assertThat(sent.path("options").path("seed").asInt()).isEqualTo(7);
        assertThat(sent.path("options").path("stop").get(0).asText()).isEqualTo("END");
        // a field Bastion does not know is passed on as an Ollama option, not dropped
        assertThat(sent.path("options").path("top_k").asInt()).isEqualTo(20);
    }

    @Test
    void streamingChatBecomesOpenAiChunksWithFinishReasonAndUsage() {
        StringBuilder text = new StringBuilder();
        List<String> finish = new java.util.ArrayList<>();
        long[] usage = {-1};
        try (var s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder().model("llama")
                .addUserMessage("hi").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunk -> {
                chunk.choices().forEach(ch -> {
                    ch.delta().content().ifPresent(text::append);
                    ch.finishReason().ifPresent(f -> finish.add(f.asString()));
                });
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertThat(text.toString()).isEqualTo("Hi there");
        assertThat(finish).containsExactly("length");
        assertThat(usage[0]).isEqualTo(2);
    }

    @Test
    void toolCallsComeBackInOpenAiShape() {
        var tool = com.openai.models.chat.completions.ChatCompletionFunctionTool.builder()
                .function(com.openai.models.FunctionDefinition.builder().name("lookup").build()).build();
        var c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("llama")
                .addUserMessage("find x").addTool(tool).build());
        var call = c.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("lookup");
        assertThat(call.function().arguments()).isEqualTo("{\"q\":\"x\"}");
        assertThat(c.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
    }

    @Test
    void embeddingsAsFloatsAndBase64() {
        var floats = client.embeddings().create(EmbeddingCreateParams.builder().model("llama").input("a")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(floats.data().getFirst().embedding()).containsExactly(0.5f, -0.25f);
        var b64 = client.embeddings().create(EmbeddingCreateParams.builder().model("llama").input("a")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        assertThat(b64.data().getFirst().embedding()).containsExactly(0.5f, -0.25f);
    }

    @Test
    void featuresOllamaCannotHonourAreRefusedNotDropped() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("llama")
                .addUserMessage("hi").n(3L).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.code()).hasValue("unsupported_operation"));
    }
}
