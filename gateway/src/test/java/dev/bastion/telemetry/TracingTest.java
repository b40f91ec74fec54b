package dev.bastion.telemetry;

import dev.bastion.testing.OtlpReceiver;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces of real requests through a real server, received by an in-test OTLP/HTTP collector: one trace per request
 * continuing the caller's, each stage a child span of the server span, the backend call a client span under the
 * terminal with its attributes, the same trace continued to the backend by {@code traceparent} — and no prompt or
 * answer text anywhere in what is exported.
 */
class TracingTest {
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String SECRET_PROMPT = "zebra quartz 7731 mail ann.lee@example.org";

    static String telemetry(OtlpReceiver collector, String extra) {
        return """
                telemetry:
                  endpoint: %s
                  service-name: bastion-test
                  traces: {export-interval: 50ms%s}
                  metrics: {step: 1s}
                """.formatted(collector.endpoint(), extra);
    }

    @Test
    void aRequestIsOneTraceUnderTheCallersSpanWithStagesAndTheBackendCallAsChildren() throws Exception {
        try (var upstream = new StandInUpstream(); var collector = new OtlpReceiver();
             var gw = TestGateway.start(upstream, telemetry(collector, ""))) {
            String key = gw.developerKey();
            HttpResponse<String> r = gw.chat(key, chat("chat", false),
                    "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
            assertThat(r.statusCode()).isEqualTo(200);

            List<Span> spans = awaitTrace(collector, CALLER_TRACE, "chat chat");
            Span server = only(spans, Span.SpanKind.SPAN_KIND_SERVER);
            assertThat(hex(server.getParentSpanId().toByteArray())).as("child of the caller's span").isEqualTo(CALLER_SPAN);
            assertThat(server.getName()).isEqualTo("model.invoke");
            assertThat(attrs(server)).containsEntry("http.response.status_code", "200")
                    .containsEntry("bastion.model.alias", "chat").containsEntry("bastion.backend", "standin")
                    .containsEntry("bastion.request_id", r.headers().firstValue("X-Bastion-Request-Id").orElseThrow());

            List<Span> children = spans.stream().filter(s -> s.getParentSpanId().equals(server.getSpanId()))
                    .sorted(Comparator.comparingLong(Span::getStartTimeUnixNano)).toList();
            List<String> names = children.stream().map(Span::getName).toList();
            assertThat(names).containsSubsequence("seal-gate", "authenticate", "context", "parse", "route", "inspect",
                    "select", "authorize", "transform", "quota", "audit", "terminal", "complete");
            for (Span child : children) {
                assertThat(child.getStartTimeUnixNano()).isGreaterThanOrEqualTo(server.getStartTimeUnixNano());
                assertThat(child.getEndTimeUnixNano()).isLessThanOrEqualTo(server.getEndTimeUnixNano());
                if (!child.getName().equals("terminal") && !child.getName().equals("complete")) {
                    assertThat(attrs(child)).containsEntry("bastion.stage.outcome", "continue");
                }
            }
            Span terminal = children.stream().filter(s -> s.getName().equals("terminal")).findFirst().orElseThrow();
            Span call = only(spans, Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(call.getParentSpanId()).as("the backend call is under the terminal").isEqualTo(terminal.getSpanId());
            assertThat(attrs(call)).containsEntry("bastion.backend", "standin").containsEntry("bastion.model.alias", "chat")
                    .containsEntry("gen_ai.operation.name", "chat").containsEntry("http.response.status_code", "200")
                    .containsEntry("gen_ai.usage.input_tokens", "11")
                    .containsEntry("gen_ai.usage.output_tokens", String.valueOf(StandInUpstream.PIECES.size()));

            // the backend was called with the same trace, the client span as its parent
            assertThat(upstream.traceparents()).containsExactly(
                    "00-" + CALLER_TRACE + "-" + hex(call.getSpanId().toByteArray()) + "-01");
            assertThat(collector.contentTypes()).allMatch(t -> t.equals("application/x-protobuf"));
            assertThat(collector.traceExports().getFirst().getResourceSpans(0).getResource().getAttributesList())
                    .anyMatch(kv -> kv.getKey().equals("service.name")
                            && kv.getValue().getStringValue().equals("bastion-test"));
        }
    }

    @Test
    void noExportedSpanHoldsPromptOrAnswerText() throws Exception {
        try (var upstream = new StandInUpstream(); var collector = new OtlpReceiver();
             var gw = TestGateway.start(upstream, telemetry(collector, ""))) {
            String key = gw.developerKey();
            assertThat(gw.chat(key, chat("chat", false)).statusCode()).isEqualTo(200);
            assertThat(gw.chat(key, chat("chat", true)).body()).contains("[DONE]");
            assertThat(gw.chat(key, chat("echo", false)).statusCode()).isEqualTo(200); // answer = the prompt
            assertThat(gw.chat(key, chat("rejecting", false)).statusCode()).isGreaterThanOrEqualTo(400); // upstream error quotes it
            // refused before any backend: an alias made of the prompt, a malformed body, a bad credential
            assertThat(gw.chat(key, chat(SECRET_PROMPT, false)).statusCode()).isGreaterThanOrEqualTo(400);
            assertThat(gw.chat(key, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + SECRET_PROMPT + "\"}],\"max_tokens\":\"" + SECRET_PROMPT + "\"}").statusCode()).isEqualTo(400);
            assertThat(gw.chat("bst_" + SECRET_PROMPT.replace(' ', '_'), chat("chat", false)).statusCode()).isEqualTo(401);

            await().atMost(Duration.ofSeconds(20)).until(() -> serverSpans(collector) >= 7);
            List<String> texts = new ArrayList<>();
            for (var export : collector.traceExports()) {
                export.getResourceSpansList().forEach(rs -> {
                    rs.getResource().getAttributesList().forEach(kv -> strings(kv, texts));
                    rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
                        texts.add(s.getName());
                        texts.add(s.getStatus().getMessage());
                        s.getAttributesList().forEach(kv -> strings(kv, texts));
                        s.getEventsList().forEach(e -> {
                            texts.add(e.getName());
                            e.getAttributesList().forEach(kv -> strings(kv, texts));
                        });
                        s.getLinksList().forEach(l -> l.getAttributesList().forEach(kv -> strings(kv, texts)));
                    }));
                });
            }
            assertThat(texts).isNotEmpty();
            String answer = String.join("", StandInUpstream.PIECES);
            for (String t : texts) {
                assertThat(t).doesNotContain("zebra").doesNotContain("7731").doesNotContain("ann.lee")
                        .doesNotContain("example.org").doesNotContain(answer).doesNotContain("stand-in model");
            }
        }
    }

    @Test
    void anUnsampledRequestExportsNothingButStillContinuesTheTraceToTheBackend() throws Exception {
        try (var upstream = new StandInUpstream(); var collector = new OtlpReceiver();
             var gw = TestGateway.start(upstream, telemetry(collector, ", sample-ratio: 0"))) {
            String key = gw.developerKey();
            assertThat(gw.chat(key, chat("chat", false),
                    "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-00").statusCode()).isEqualTo(200);
            assertThat(gw.chat(key, chat("chat", false)).statusCode()).isEqualTo(200);
            // a sampled caller still decides for its own request (parent-based sampling)
            String sampled = "0af7651916cd43dd8448eb211c80319c";
            assertThat(gw.chat(key, chat("chat", false),
                    "traceparent", "00-" + sampled + "-b7ad6b7169203331-01").statusCode()).isEqualTo(200);
            awaitTrace(collector, sampled, "chat chat");

            assertThat(collector.trace(CALLER_TRACE)).isEmpty();
            assertThat(collector.spans().stream().map(s -> hex(s.getTraceId().toByteArray())).distinct())
                    .containsExactly(sampled);
            List<String> sent = upstream.traceparents();
            assertThat(sent.getFirst()).startsWith("00-" + CALLER_TRACE + "-").endsWith("-00")
                    .doesNotContain(CALLER_SPAN);
            assertThat(sent.get(1)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        }
    }

    @Test
    void withoutTelemetryNothingIsTracedAndBackendsGetNoTraceparent() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            assertThat(gw.chat(gw.developerKey(), chat("chat", false),
                    "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01").statusCode()).isEqualTo(200);
            assertThat(upstream.traceparents()).containsExactly("");
        }
    }

    @Test
    void adminRoutesAreTracedAndMetricsArePushedOverOtlp() throws Exception {
        try (var upstream = new StandInUpstream(); var collector = new OtlpReceiver();
             var gw = TestGateway.start(upstream, telemetry(collector, ""))) {
            String trace = "11112222333344445555666677778888";
            var r = gw.send("GET", "/bastion/v1/keys", gw.adminKey, null);
            assertThat(r.statusCode()).isEqualTo(200);
            var traced = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(gw.base() + "/bastion/v1/keys"))
                    .header("Authorization", "Bearer " + gw.adminKey)
                    .header("traceparent", "00-" + trace + "-" + CALLER_SPAN + "-01").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(traced.statusCode()).isEqualTo(200);
            List<Span> spans = awaitTrace(collector, trace, "terminal");
            assertThat(only(spans, Span.SpanKind.SPAN_KIND_SERVER).getName()).isEqualTo("keys.manage");
            assertThat(spans.stream().map(Span::getName)).contains("authenticate", "authorize", "terminal");

            assertThat(gw.chat(gw.developerKey(), chat("chat", false)).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> collector.metricExports().stream()
                    .flatMap(m -> m.getResourceMetricsList().stream())
                    .flatMap(rm -> rm.getScopeMetricsList().stream())
                    .flatMap(sm -> sm.getMetricsList().stream())
                    .anyMatch(m -> m.getName().equals("bastion.requests")));
        }
    }

    private static long serverSpans(OtlpReceiver collector) {
        return collector.spans().stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).count();
    }

    /** Waits until the trace holds a span named {@code last} and its server span (exports come in batches). */
    private static List<Span> awaitTrace(OtlpReceiver collector, String traceId, String last) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Span> t = collector.trace(traceId);
            return t.stream().anyMatch(s -> s.getName().equals(last))
                    && t.stream().anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER);
        });
        return collector.trace(traceId);
    }

    private static Span only(List<Span> spans, Span.SpanKind kind) {
        List<Span> of = spans.stream().filter(s -> s.getKind() == kind).toList();
        assertThat(of).hasSize(1);
        return of.getFirst();
    }

    private static Map<String, String> attrs(Span s) {
        return s.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> value(kv.getValue())));
    }

    private static String value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString();
        };
    }

    private static void strings(KeyValue kv, List<String> out) {
        out.add(kv.getKey());
        out.add(value(kv.getValue()));
    }

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + SECRET_PROMPT + "\"}]}";
    }
}
