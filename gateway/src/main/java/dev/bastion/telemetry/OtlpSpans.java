package dev.bastion.telemetry;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Turns finished {@link RequestTrace}s into an OTLP {@code ExportTraceServiceRequest}: per request a server span
 * (the caller's span as its parent when it sent a {@code traceparent}), a child span per stage's request side, one
 * for the terminal with a client span per backend call under it, and one for the completion hooks. Attribute names
 * follow the OpenTelemetry semantic conventions where one exists ({@code http.response.status_code},
 * {@code error.type}, {@code gen_ai.*}), else {@code bastion.*}.
 */
public final class OtlpSpans {
    private static final String[] OUTCOMES = {"continue", "reply", "deny"};
    private final Resource resource;
    private final InstrumentationScope scope;

    public OtlpSpans(Map<String, String> resourceAttributes, String version) {
        Resource.Builder r = Resource.newBuilder();
        resourceAttributes.forEach((k, v) -> r.addAttributes(string(k, v)));
        this.resource = r.build();
        this.scope = InstrumentationScope.newBuilder().setName("dev.bastion").setVersion(version).build();
    }

    /** The export request's bytes, as the exporter sends them (public for the tracing benchmark). */
    public byte[] encode(List<RequestTrace> traces) { return request(traces).toByteArray(); }

    ExportTraceServiceRequest request(List<RequestTrace> traces) {
        ScopeSpans.Builder spans = ScopeSpans.newBuilder().setScope(scope);
        for (RequestTrace t : traces) add(spans, t);
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(spans)).build();
    }

    /** Spans per trace (for counting what was exported). */
    static int spanCount(RequestTrace t) {
        return 1 + t.stages + (t.terminalEnd != 0 ? 1 + t.calls.length : 0) + 1;
    }

    private static void add(ScopeSpans.Builder out, RequestTrace t) {
        ByteString traceId = id128(t.traceHi, t.traceLo);
        Span.Builder root = span(traceId, t.serverSpanId, t.parentSpanId, t.action, Span.SpanKind.SPAN_KIND_SERVER,
                t.epochNanos(t.startNanos), t.epochNanos(t.endNanos))
                .addAttributes(string("bastion.action", t.action))
                .addAttributes(string("bastion.request_id", t.requestId))
                .addAttributes(integer("http.response.status_code", t.status))
                .addAttributes(string("bastion.result", t.result.toLowerCase(java.util.Locale.ROOT)));
        if (t.errorCode != null) root.addAttributes(string("error.type", t.errorCode));
        if (t.calls.length > 0) {
            BackendCall last = t.calls[t.calls.length - 1];
            root.addAttributes(string("bastion.model.alias", last.alias))
                    .addAttributes(string("bastion.backend", last.backend));
        }
        if (t.status >= 500) root.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        out.addSpans(root);
        for (int i = 0; i < t.stages; i++) {
            Span.Builder s = span(traceId, Ids.span(), t.serverSpanId, t.stageNames[i], Span.SpanKind.SPAN_KIND_INTERNAL,
                    t.epochNanos(t.stageTimes[2 * i]), t.epochNanos(t.stageTimes[2 * i + 1]))
                    .addAttributes(string("bastion.stage.outcome", OUTCOMES[t.stageOutcomes[i]]));
            if (t.stageErrors[i] != null) s.addAttributes(string("error.type", t.stageErrors[i]));
            out.addSpans(s);
        }
        if (t.terminalEnd != 0) {
            out.addSpans(span(traceId, t.terminalSpanId, t.serverSpanId, "terminal", Span.SpanKind.SPAN_KIND_INTERNAL,
                    t.epochNanos(t.terminalStart), t.epochNanos(t.terminalEnd)));
            for (BackendCall c : t.calls) out.addSpans(backendSpan(traceId, t, c));
        }
        out.addSpans(span(traceId, Ids.span(), t.serverSpanId, "complete", Span.SpanKind.SPAN_KIND_INTERNAL,
                t.epochNanos(t.completeStart), t.epochNanos(t.endNanos)));
    }

    private static Span.Builder backendSpan(ByteString traceId, RequestTrace t, BackendCall c) {
        long end = c.end != 0 ? c.end : t.terminalEnd;
        Span.Builder s = span(traceId, c.spanId, t.terminalSpanId, c.operation + " " + c.alias,
                Span.SpanKind.SPAN_KIND_CLIENT, t.epochNanos(c.start), t.epochNanos(end))
                .addAttributes(string("gen_ai.operation.name", c.operation))
                .addAttributes(string("gen_ai.request.model", c.alias))
                .addAttributes(string("bastion.model.alias", c.alias))
                .addAttributes(string("bastion.backend", c.backend))
                .addAttributes(integer("bastion.attempt", c.attempt))
                .addAttributes(KeyValue.newBuilder().setKey("bastion.streamed")
                        .setValue(AnyValue.newBuilder().setBoolValue(c.streamed)));
        if (c.status > 0) s.addAttributes(integer("http.response.status_code", c.status));
        if (c.promptTokens >= 0) s.addAttributes(integer("gen_ai.usage.input_tokens", c.promptTokens));
        if (c.completionTokens >= 0) s.addAttributes(integer("gen_ai.usage.output_tokens", c.completionTokens));
        if (c.errorCode != null) {
            s.addAttributes(string("error.type", c.errorCode));
            s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return s;
    }

    private static Span.Builder span(ByteString traceId, long spanId, long parent, String name, Span.SpanKind kind,
                                     long start, long end) {
        Span.Builder s = Span.newBuilder().setTraceId(traceId).setSpanId(id64(spanId)).setName(name).setKind(kind)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(Math.max(start, end));
        if (parent != 0) s.setParentSpanId(id64(parent));
        return s;
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static ByteString id64(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
    }

    private static ByteString id128(long hi, long lo) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
    }
}
