package dev.bastion.telemetry;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.pipeline.Stage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written OTLP encoding reads back with the OTLP protobuf classes exactly as meant: ids, parents, kinds,
 * wall-clock times from the exchange's arrival, attributes of every type, and ERROR status on a failed backend call
 * and a 5xx exchange.
 */
class OtlpSpansTest {

    @Test
    void anExportReadsBackWithTheOtlpProtobufClasses() throws Exception {
        List<RequestTrace> finished = new ArrayList<>();
        Tracer tracer = new Tracer(1, true, finished::add);
        Instant arrived = Instant.parse("2026-12-07T20:00:00.000000123Z");
        long t0 = 1_000_000;
        Exchange e = new Exchange("req_x", arrived, t0, "127.0.0.1", headers("00-0102030405060708090a0b0c0d0e0f10-1112131415161718-01"),
                null, "model.invoke", max -> new byte[0]);
        RequestTrace trace = (RequestTrace) tracer.begin(e);
        trace.stage(stage("authenticate"), t0 + 10, t0 + 20, Outcome.proceed());
        trace.stage(stage("select"), t0 + 30, t0 + 40, Outcome.deny(ErrorCode.NO_COMPLIANT_BACKEND, "none"));
        BackendCall call = trace.backendCall("vllm-é", "chat", "chat");
        call.end(503, "backend_unavailable", -1, -1, true);
        trace.terminal(t0 + 50, t0 + 60);
        e.complete(new Completion(503, "backend_unavailable", Completion.Result.BACKEND_ERROR, -1, -1, t0 + 70));
        trace.end(e, t0 + 70, t0 + 80);

        byte[] bytes = new OtlpSpans(Map.of("service.name", "bastion"), "1.2.3").encode(finished);
        var request = ExportTraceServiceRequest.parseFrom(bytes);
        var rs = request.getResourceSpans(0);
        assertThat(rs.getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("bastion");
        assertThat(rs.getScopeSpans(0).getScope().getVersion()).isEqualTo("1.2.3");
        List<Span> spans = rs.getScopeSpans(0).getSpansList();
        assertThat(spans).extracting(Span::getName)
                .containsExactly("model.invoke", "authenticate", "select", "terminal", "chat chat", "complete");

        Span server = spans.get(0);
        assertThat(hex(server.getTraceId().toByteArray())).isEqualTo("0102030405060708090a0b0c0d0e0f10");
        assertThat(hex(server.getParentSpanId().toByteArray())).isEqualTo("1112131415161718");
        assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        long epoch = arrived.getEpochSecond() * 1_000_000_000L + arrived.getNano();
        assertThat(server.getStartTimeUnixNano()).isEqualTo(epoch);
        assertThat(server.getEndTimeUnixNano()).isEqualTo(epoch + 80);
        assertThat(server.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(server.getAttributesList()).anyMatch(kv -> kv.getKey().equals("http.response.status_code")
                && kv.getValue().getIntValue() == 503);

        Span select = spans.get(2);
        assertThat(select.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(select.getStartTimeUnixNano()).isEqualTo(epoch + 30);
        assertThat(select.getAttributesList()).anyMatch(kv -> kv.getKey().equals("error.type")
                && kv.getValue().getStringValue().equals("no_compliant_backend"));

        Span client = spans.get(4);
        assertThat(client.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(client.getParentSpanId()).isEqualTo(spans.get(3).getSpanId());
        assertThat(client.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(client.getAttributesList()).anyMatch(kv -> kv.getKey().equals("bastion.streamed")
                && kv.getValue().getBoolValue());
        assertThat(client.getAttributesList()).anyMatch(kv -> kv.getKey().equals("bastion.backend")
                && kv.getValue().getStringValue().equals("vllm-é"));
        assertThat(client.getAttributesList()).noneMatch(kv -> kv.getKey().startsWith("gen_ai.usage"));
    }

    private static Stage stage(String name) {
        return new Stage() {
            @Override
            public String name() { return name; }

            @Override
            public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }
        };
    }

    private static RequestHeaders headers(String traceparent) {
        return new RequestHeaders() {
            @Override
            public String first(String name) { return name.equals("traceparent") ? traceparent : null; }

            @Override
            public List<String> all(String name) { return List.of(); }
        };
    }

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
}
