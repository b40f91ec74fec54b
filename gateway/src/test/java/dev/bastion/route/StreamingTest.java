package dev.bastion.route;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Streams are relayed event by event, end cleanly, and fail in ways a client can see — never a hang. */
class StreamingTest {
    StandInUpstream upstream;
    TestGateway gateway;
    final HttpClient http = HttpClient.newHttpClient();
    String developer;

    @BeforeEach
    void start() throws Exception {
        upstream = new StandInUpstream();
        gateway = TestGateway.start(upstream);
        developer = gateway.developerKey();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    private HttpRequest streamRequest(String model) {
        return HttpRequest.newBuilder(URI.create(gateway.openAiBase() + "/chat/completions"))
                .header("Authorization", "Bearer " + developer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    @Test
    void eventsReachTheClientBeforeTheBackendHasFinished() throws Exception {
        HttpResponse<InputStream> r = http.send(streamRequest("gated"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(r.headers().firstValue("X-Bastion-Request-Id")).isPresent();
        try (var reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // the stand-in holds the rest of its answer until released: what it sent first must already be here
            // (all but the output-inspection window, which waits for the next text or the end)
            String first = reader.readLine();
            assertThat(first).startsWith("data: ").contains("All systems are running normally");
            upstream.release();
            List<String> rest = new ArrayList<>(List.of(first));
            String line;
            while ((line = reader.readLine()) != null) if (line.startsWith("data: ")) rest.add(line);
            assertThat(rest.getLast()).isEqualTo("data: [DONE]");
            StringBuilder text = new StringBuilder();
            for (String event : rest) {
                if (event.equals("data: [DONE]")) continue;
                for (var c : TestGateway.json(event.substring(6)).path("choices")) text.append(c.path("delta").path("content").asText(""));
            }
            assertThat(text.toString()).isEqualTo(StandInUpstream.PREAMBLE + String.join("", StandInUpstream.PIECES));
        }
    }

    @Test
    void aClientThatDisconnectsCancelsTheBackendCall() throws Exception {
        String body = "{\"model\":\"drip\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket s = new Socket(gateway.base().getHost(), gateway.base().getPort())) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + developer + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            assertThat(in.read(buf)).isPositive(); // the answer has started
            s.setSoLinger(true, 0); // the client goes away abruptly (RST)
        }
        // Bastion's next write fails, it drops the upstream connection, and the stand-in's next write fails too
        await().atMost(10, TimeUnit.SECONDS).until(() -> upstream.brokenStreams() >= 1);
    }

    @Test
    void aBackendThatBreaksOffMidStreamEndsTheStreamWithAnErrorEvent() throws Exception {
        HttpResponse<String> r = http.send(streamRequest("broken"), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        // what the backend sent before breaking off is within the output-inspection window: held, then dropped with
        // the stream, which ends with the error event
        assertThat(r.body()).contains("\"code\":\"backend_unavailable\"").doesNotContain("[DONE]");
    }

    @Test
    void aBackendThatFallsSilentMidStreamTimesOut() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(streamRequest("stall"), HttpResponse.BodyHandlers.ofString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(r.body()).contains("\"code\":\"backend_timeout\"");
    }

    @Test
    void aBackendThatDoesNotAnswerInTimeGets504() throws Exception {
        HttpResponse<String> r = gateway.chat(developer,
                "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(TestGateway.errorCode(r)).isEqualTo("backend_timeout");
    }

    @Test
    void upstreamErrorsMapToStableCodesWithoutRelayingTheBackendsText() throws Exception {
        record Case(String model, int status, String code) {}
        for (Case c : new Case[] {
                new Case("failing", 502, "backend_error"),
                new Case("unavailable", 503, "backend_unavailable"),
                new Case("busy", 429, "overloaded"),
                new Case("rejecting", 400, "backend_rejected")}) {
            HttpResponse<String> r = gateway.chat(developer, "{\"model\":\"" + c.model()
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"my secret diagnosis\"}]}");
            assertThat(r.statusCode()).as(c.model()).isEqualTo(c.status());
            assertThat(TestGateway.errorCode(r)).isEqualTo(c.code());
            // the stand-in quotes the prompt in its error message: Bastion must not pass that on
            assertThat(r.body()).doesNotContain("secret diagnosis").doesNotContain("upstream says no");
            if (c.status() == 429) assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        }
    }

    @Test
    void anUnreachableBackendGets503() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TestGateway gw = TestGateway.startYaml("""
                server: {port: 0}
                backends:
                  - {name: gone, type: openai, url: "http://127.0.0.1:%d/v1", connect-timeout: 1s, max-classification: internal}
                models:
                  - {alias: chat, backend: gone}
                """.formatted(port))) {
            HttpResponse<String> r = gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(TestGateway.errorCode(r)).isEqualTo("backend_unavailable");
        }
    }
}
