package dev.bastion.egress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate's HTTP client: never follows a redirect, bounds what it reads, speaks chunked and fixed-length bodies. */
class EgressHttpTest {
    private HttpServer server;
    private EgressGateTest.Listener trap;
    private EgressHttp http;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        trap = new EgressGateTest.Listener("127.0.0.3", 0);
        server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 16);
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.3:" + trap.port() + "/keys");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // length 0 = chunked
            for (int i = 0; i < 100; i++) ex.getResponseBody().write("0123456789".getBytes(StandardCharsets.US_ASCII));
            ex.close();
        });
        server.createContext("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        EgressGate gate = new EgressGate(EgressGate.Mode.DECLARED, List.of(), Resolver.SYSTEM);
        http = new EgressHttp(gate);
        http.declare(Destination.of("identity", base));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        trap.close();
    }

    @Test
    void aRedirectIsReturnedNotFollowed() throws IOException {
        var r = http.send(EgressHttp.Request.get("identity", base.resolve("/redirect"), Duration.ofSeconds(5)), 1024);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).contains("127.0.0.3");
        assertThat(trap.accepted()).isZero();
        // and asking for the redirect target itself is refused by the gate: it was never declared
        assertThatThrownBy(() -> http.send(EgressHttp.Request.get("identity", URI.create(r.header("location")),
                Duration.ofSeconds(5)), 1024)).isInstanceOf(EgressDeniedException.class);
        assertThat(trap.accepted()).isZero();
    }

    @Test
    void bodiesAreDecodedAndBounded() throws IOException {
        var r = http.send(EgressHttp.Request.get("identity", base.resolve("/chunked"), Duration.ofSeconds(5)), 1000);
        assertThat(r.body()).hasSize(1000);
        assertThatThrownBy(() -> http.send(EgressHttp.Request.get("identity", base.resolve("/chunked"),
                Duration.ofSeconds(5)), 999)).isInstanceOf(IOException.class).hasMessageContaining("larger than");
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        var posted = http.send(new EgressHttp.Request("identity", "POST", base.resolve("/echo"),
                java.util.Map.of("Content-Type", "application/json"), payload, Duration.ofSeconds(5), null), 1024);
        assertThat(posted.body()).isEqualTo(payload);
    }
}
