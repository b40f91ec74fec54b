package dev.bastion.backend;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemJson;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamErrorsTest {

    private static Problem problem(int status, String body) {
        return UpstreamErrors.problemFor("vllm", status, body == null ? null : body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void eachServersWayOfSayingThePromptDoesNotFitBecomesContextLengthExceeded() {
        String[] bodies = {
                // OpenAI and Bastion's own engine
                "{\"error\":{\"message\":\"prompt has 900 tokens\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}",
                // llama.cpp server
                "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\",\"type\":\"exceed_context_size_error\"}}",
                // vLLM: only the wording says it
                "{\"object\":\"error\",\"message\":\"This model's maximum context length is 2048 tokens. However, you requested 3100 tokens\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"};
        for (String body : bodies) {
            Problem p = problem(400, body);
            assertThat(p.code()).as(body).isEqualTo(ErrorCode.CONTEXT_LENGTH_EXCEEDED);
            assertThat(p.code().status()).isEqualTo(400);
            // the backend's text (which may quote the prompt) is matched, never relayed
            assertThat(new String(ProblemJson.render(p), StandardCharsets.UTF_8))
                    .doesNotContain("tokens.").doesNotContain("available context").doesNotContain("900");
        }
    }

    @Test
    void otherRejectionsStayBackendRejected() {
        assertThat(problem(400, "{\"error\":{\"message\":\"bad temperature\",\"code\":\"invalid_value\"}}").code())
                .isEqualTo(ErrorCode.BACKEND_REJECTED);
        assertThat(problem(400, "not json at all").code()).isEqualTo(ErrorCode.BACKEND_REJECTED);
        assertThat(problem(400, "[1,2]").code()).isEqualTo(ErrorCode.BACKEND_REJECTED);
        assertThat(problem(400, null).code()).isEqualTo(ErrorCode.BACKEND_REJECTED);
        // only a 400 is the client's prompt; a 500 that mentions the context is the backend's failure
        assertThat(problem(500, "{\"error\":{\"code\":\"context_length_exceeded\"}}").code())
                .isEqualTo(ErrorCode.BACKEND_ERROR);
    }
}
