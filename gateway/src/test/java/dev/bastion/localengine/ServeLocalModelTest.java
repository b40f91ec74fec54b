package dev.bastion.localengine;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.WorkerInstall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code bastion serve --model FILE.gguf} in one step: the file is imported, a sandboxed worker serves it, and the
 * official OpenAI SDK reaches it through the gateway like any backend — including when the worker crashes.
 */
class ServeLocalModelTest {
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("bastion-engine-serve");
        Path model = dir.resolve("tiny-llama.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), model);
        WorkerInstall.openUp(dir, model, "rw-r--r--");
        gateway = TestGateway.startYaml("""
                server: {port: 0}
                engine:
                  models: [{file: "%s", alias: tiny}]
                  classpath: "%s"
                  isolation: required
                  threads: 1
                  context: 256
                  max-tokens: 64
                  start-timeout: 90s
                """.formatted(model, WorkerInstall.readableClasspath()));
        client = OpenAIOkHttpClient.builder().apiKey(gateway.developerKey()).baseUrl(gateway.openAiBase()).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
    }

    private static ChatCompletionCreateParams.Builder ask() {
        return ChatCompletionCreateParams.builder().model("tiny").addUserMessage("Hello").maxTokens(6L).seed(1L);
    }

    @Test
    void theImportedModelAnswersThroughTheGateway() throws Exception {
        var c = client.chat().completions().create(ask().build());
        assertThat(c.choices().getFirst().message().content().orElse("")).isNotEmpty();
        assertThat(c.usage().orElseThrow().completionTokens()).isBetween(1L, 6L);
        assertThat(client.models().list().data()).anyMatch(m -> m.id().equals("tiny"));
        assertThat(gateway.send("GET", "/readyz", null, null).body()).contains("\"local:tiny-llama\":\"up\"");

        StringBuilder streamed = new StringBuilder();
        long[] usage = {-1};
        try (var s = client.chat().completions().createStreaming(ask()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunk -> {
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertThat(streamed.toString()).isEqualTo(c.choices().getFirst().message().content().orElseThrow());
        assertThat(usage[0]).isEqualTo(c.usage().orElseThrow().completionTokens());
    }

    @Test
    void aPromptLongerThanTheModelsContextGetsOpenAisCodeNotABackendError() {
        var tooLong = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("the ".repeat(600))
                .maxTokens(6L).build();
        assertThatThrownBy(() -> client.chat().completions().create(tooLong))
                .isInstanceOfSatisfying(com.openai.errors.BadRequestException.class, e -> {
                    assertThat(e.code()).hasValue("context_length_exceeded");
                    assertThat(e.type()).hasValue("invalid_request_error");
                });
    }

    @Test
    void aCrashedWorkerMeans503UntilTheSupervisorHasRestartedIt() throws Exception {
        client.chat().completions().create(ask().build());
        ProcessHandle worker = workers().findFirst().orElseThrow();
        worker.destroyForcibly();
        assertThat(worker.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        int status;
        try {
            client.chat().completions().create(ask().build());
            status = 200;
        } catch (OpenAIServiceException e) {
            status = e.statusCode();
            assertThat(e.code()).hasValue("backend_unavailable");
        }
        assertThat(status).as("either the restart was already done, or the caller got 503").isIn(200, 503);
        await().atMost(60, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> client.chat().completions().create(ask().build()).choices().size() == 1);
        assertThat(workers().map(ProcessHandle::pid)).doesNotContain(worker.pid());
    }

    /** The engine workers this test JVM started (its only child java processes; /proc truncates long command lines). */
    private static java.util.stream.Stream<ProcessHandle> workers() {
        return ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/java"));
    }
}
