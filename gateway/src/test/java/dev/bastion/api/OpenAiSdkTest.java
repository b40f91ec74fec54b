package dev.bastion.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK, pointed at Bastion, works as it does against OpenAI: the compatibility promise. */
class OpenAiSdkTest {
    static StandInUpstream upstream;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gateway = TestGateway.start(upstream);
        client = sdk(gateway.developerKey());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(gateway.openAiBase()).maxRetries(0)
                .timeout(Duration.ofSeconds(10)).build();
    }

    private static ChatCompletionCreateParams.Builder hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
    }

    @Test
    void chatCompletionReachesTheBackendUnderItsUpstreamName() throws Exception {
        ChatCompletion c = client.chat().completions().create(hello("chat").build());
        assertThat(c.choices().getFirst().message().content()).contains(String.join("", StandInUpstream.PIECES));
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(11);
        assertThat(upstream.lastBody().path("model").asText()).isEqualTo("stand-in-7b");
    }

    @Test
    void streamedChatArrivesChunkByChunkWithUsageWhenAsked() {
        var params = hello("chat").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        long[] usage = {-1};
        int[] chunks = {0};
        try (var stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach((ChatCompletionChunk chunk) -> {
                chunks[0]++;
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertThat(text.toString()).isEqualTo(String.join("", StandInUpstream.PIECES));
        assertThat(chunks[0]).isEqualTo(StandInUpstream.PIECES.size() + 1);
        assertThat(usage[0]).isEqualTo(StandInUpstream.PIECES.size());
    }

    @Test
    void streamWithoutUsageRequestGetsNoUsageChunk() {
        int[] usageChunks = {0};
        StringBuilder text = new StringBuilder();
        try (var stream = client.chat().completions().createStreaming(hello("chat").build())) {
            stream.stream().forEach(chunk -> {
                if (chunk.usage().isPresent()) usageChunks[0]++;
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        assertThat(usageChunks[0]).isZero();
        assertThat(text.toString()).isEqualTo(String.join("", StandInUpstream.PIECES));
    }

    @Test
    void toolsSeedResponseFormatAndStopArePassedThroughAndToolCallsComeBack() throws Exception {
        var tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
                .build()).build();
        ChatCompletion c = client.chat().completions().create(hello("chat").addTool(tool).seed(42L).stop("END")
                .responseFormat(ResponseFormatJsonObject.builder().build()).n(1).logprobs(true).build());
        var call = c.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        var sent = upstream.lastBody();
        assertThat(sent.path("seed").asLong()).isEqualTo(42);
        assertThat(sent.path("stop").asText()).isEqualTo("END");
        assertThat(sent.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void fieldsBastionDoesNotKnowReachTheBackend() throws Exception {
        client.chat().completions().create(hello("chat")
                .putAdditionalBodyProperty("top_k", JsonValue.from(40))
                .putAdditionalBodyProperty("guided_json", JsonValue.from(Map.of("type", "object"))).build());
        var sent = upstream.lastBody();
        assertThat(sent.path("top_k").asInt()).isEqualTo(40);
        assertThat(sent.path("guided_json").path("type").asText()).isEqualTo("object");
    }

    @Test
    void legacyCompletionsWork() {
        var c = client.completions().create(CompletionCreateParams.builder().model("chat").prompt("Once").build());
        assertThat(c.choices().getFirst().text()).isEqualTo(String.join("", StandInUpstream.PIECES));
    }

    @Test
    void embeddingsComeBackAsFloatsAndAsBase64() throws Exception {
        var floats = client.embeddings().create(EmbeddingCreateParams.builder().model("chat").input("text")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(floats.data().getFirst().embedding()).containsExactly(0.25f, -0.5f, 1.0f);
        var b64 = client.embeddings().create(EmbeddingCreateParams.builder().model("chat").input("text")
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        // the SDK decodes base64 itself: equal floats prove the base64 bytes made it through intact
        assertThat(upstream.lastBody().path("encoding_format").asText()).isEqualTo("base64");
        assertThat(b64.data().getFirst().embedding()).containsExactly(0.25f, -0.5f, 1.0f);
    }

    @Test
    void modelsListShowsAliasesAndRetrieveWorks() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).contains("chat", "same", "slow");
        assertThat(client.models().retrieve("chat").id()).isEqualTo("chat");
        assertThatThrownBy(() -> client.models().retrieve("no-such-model")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void errorsHaveTheOpenAiShapeAndStableCodes() {
        assertThatThrownBy(() -> client.chat().completions().create(hello("no-such-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(code(e)).isEqualTo("model_not_found"));
        assertThatThrownBy(() -> sdk("bst_aaaaaaaaaaaa_" + "A".repeat(43)).chat().completions().create(hello("chat").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(code(e)).isEqualTo("invalid_api_key"));
        assertThatThrownBy(() -> client.chat().completions().create(hello("chat").maxTokens(100_000_000L).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(code(e)).isEqualTo("max_tokens_too_large"));
    }

    @Test
    void aKeyScopedToOtherModelsIsRefusedWith403() throws Exception {
        String scoped = gateway.createKey("{\"name\":\"scoped\",\"models\":[\"same\"]}");
        assertThatThrownBy(() -> sdk(scoped).chat().completions().create(hello("chat").build()))
                .isInstanceOfSatisfying(PermissionDeniedException.class,
                        e -> assertThat(code(e)).isEqualTo("model_not_allowed"));
        assertThat(sdk(scoped).models().list().data().stream().map(Model::id).toList()).containsExactly("same");
    }

    private static String code(OpenAIServiceException e) {
        return e.code().orElse(e.body().toString());
    }
}
