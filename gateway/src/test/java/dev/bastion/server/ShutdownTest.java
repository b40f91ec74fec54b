package dev.bastion.server;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A graceful stop lets running streams finish and turns new requests away with a clear code. */
class ShutdownTest {

    @Test
    void stopDrainsInFlightStreamsAndRefusesNewRequests() throws Exception {
        try (var upstream = new StandInUpstream()) {
            TestGateway gw = TestGateway.start(upstream);
            String developer = gw.developerKey();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest stream = HttpRequest.newBuilder(URI.create(gw.openAiBase() + "/chat/completions"))
                    .header("Authorization", "Bearer " + developer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gated\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                    .build();
            CompletableFuture<HttpResponse<String>> running = http.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
            assertThat(upstream.awaitStreamStart(10)).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(gw.server::stop);
            // while draining, new model requests get 503 shutting_down
            await().atMost(5, TimeUnit.SECONDS).until(() -> {
                HttpResponse<String> r = gw.chat(developer, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
                return r.statusCode() == 503 && r.body().contains("shutting_down");
            });
            assertThat(stopping).isNotDone();
            upstream.release();
            HttpResponse<String> finished = running.get(10, TimeUnit.SECONDS);
            assertThat(finished.body()).contains("data: [DONE]");
            stopping.get(10, TimeUnit.SECONDS);
            gw.close();
        }
    }
}
