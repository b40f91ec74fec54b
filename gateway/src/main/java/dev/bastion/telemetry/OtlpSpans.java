package dev.bastion.telemetry;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns finished {@link RequestTrace}s into the bytes of an OTLP {@code ExportTraceServiceRequest} (protobuf): per
 * request a server span (the caller's span as its parent when it sent a {@code traceparent}), a child span per
 * stage's request side, one for the terminal with a client span per backend call under it, and one for the
 * completion hooks. Attribute names follow the OpenTelemetry semantic conventions where one exists
 * ({@code http.response.status_code}, {@code error.type}, {@code gen_ai.*}), else {@code bastion.*}.
 *
 * <p>Written straight to the wire format ({@link ProtoWriter}) rather than through the generated message classes: no
 * builder and message object per span and attribute for a request's twenty-odd spans (what the exporter thread
 * spends is measured by {@code TracingOverheadBench.exportPerTrace}); the tests read every export back with the OTLP
 * protobuf classes. One thread at a time (the exporter's).
 */
public final class OtlpSpans {
    // field numbers of opentelemetry/proto/{collector/trace,trace,common,resource}/v1/*.proto
    private static final int REQUEST_RESOURCE_SPANS = 1;
    private static final int RESOURCE_SPANS_RESOURCE = 1;
    private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
    private static final int RESOURCE_ATTRIBUTES = 1;
    private static final int SCOPE_SPANS_SCOPE = 1;
    private static final int SCOPE_SPANS_SPANS = 2;
    private static final int SCOPE_NAME = 1;
    private static final int SCOPE_VERSION = 2;
    private static final int SPAN_TRACE_ID = 1;
    private static final int SPAN_SPAN_ID = 2;
    private static final int SPAN_PARENT_SPAN_ID = 4;
    private static final int SPAN_NAME = 5;
    private static final int SPAN_KIND = 6;
    private static final int SPAN_START = 7;
    private static final int SPAN_END = 8;
    private static final int SPAN_ATTRIBUTES = 9;
    private static final int SPAN_STATUS = 15;
    private static final int STATUS_CODE = 3;
    private static final int KEY_VALUE_KEY = 1;
    private static final int KEY_VALUE_VALUE = 2;
    private static final int ANY_STRING = 1;
    private static final int ANY_BOOL = 2;
    private static final int ANY_INT = 3;
    private static final int KIND_INTERNAL = 1;
    private static final int KIND_SERVER = 2;
    private static final int KIND_CLIENT = 3;
    private static final int STATUS_ERROR = 2;

    private static final byte[][] OUTCOMES = {ProtoWriter.utf8("continue"), ProtoWriter.utf8("reply"),
            ProtoWriter.utf8("deny")};
    private static final byte[] TERMINAL = ProtoWriter.utf8("terminal");
    private static final byte[] COMPLETE = ProtoWriter.utf8("complete");
    private static final byte[] ACTION = ProtoWriter.utf8("bastion.action");
    private static final byte[] REQUEST_ID = ProtoWriter.utf8("bastion.request_id");
    private static final byte[] STATUS = ProtoWriter.utf8("http.response.status_code");
    private static final byte[] RESULT = ProtoWriter.utf8("bastion.result");
    private static final byte[] ERROR_TYPE = ProtoWriter.utf8("error.type");
    private static final byte[] ALIAS = ProtoWriter.utf8("bastion.model.alias");
    private static final byte[] BACKEND = ProtoWriter.utf8("bastion.backend");
    private static final byte[] STAGE_OUTCOME = ProtoWriter.utf8("bastion.stage.outcome");
    private static final byte[] OPERATION = ProtoWriter.utf8("gen_ai.operation.name");
    private static final byte[] REQUEST_MODEL = ProtoWriter.utf8("gen_ai.request.model");
    private static final byte[] ATTEMPT = ProtoWriter.utf8("bastion.attempt");
    private static final byte[] STREAMED = ProtoWriter.utf8("bastion.streamed");
    private static final byte[] INPUT_TOKENS = ProtoWriter.utf8("gen_ai.usage.input_tokens");
    private static final byte[] OUTPUT_TOKENS = ProtoWriter.utf8("gen_ai.usage.output_tokens");

    /** The resource and scope fields of every export, encoded once. */
    private final byte[] resourceAndScopeHead;
    private final byte[] scope;
    private final ProtoWriter span = new ProtoWriter(512);
    private final ProtoWriter spans = new ProtoWriter(16 * 1024);
    private final ProtoWriter outer = new ProtoWriter(16 * 1024);

    public OtlpSpans(Map<String, String> resourceAttributes, String version) {
        ProtoWriter r = new ProtoWriter(256);
        resourceAttributes.forEach((k, v) -> keyValue(r, RESOURCE_ATTRIBUTES, ProtoWriter.utf8(k), v));
        ProtoWriter head = new ProtoWriter(256);
        head.messageField(RESOURCE_SPANS_RESOURCE, r);
        this.resourceAndScopeHead = head.toByteArray();
        ProtoWriter s = new ProtoWriter(64);
        s.stringField(SCOPE_NAME, "dev.bastion");
        s.stringField(SCOPE_VERSION, version);
        this.scope = s.toByteArray();
    }

    /** The export request's bytes (public for the tracing benchmark). */
    public byte[] encode(List<RequestTrace> traces) {
        spans.reset();
        spans.bytesField(SCOPE_SPANS_SCOPE, scope);
        for (RequestTrace t : traces) add(t);
        ProtoWriter resourceSpans = outer;
        resourceSpans.reset();
        resourceSpans.raw(resourceAndScopeHead);
        resourceSpans.messageField(RESOURCE_SPANS_SCOPE_SPANS, spans);
        ProtoWriter request = new ProtoWriter(resourceSpans.size() + 8);
        request.messageField(REQUEST_RESOURCE_SPANS, resourceSpans);
        return request.toByteArray();
    }

    /** Spans per trace (for counting what was exported). */
    static int spanCount(RequestTrace t) {
        return 1 + t.stages + (t.terminalEnd != 0 ? 1 + t.calls.length : 0) + 1;
    }

    private void add(RequestTrace t) {
        begin(t, t.serverSpanId, t.parentSpanId, ProtoWriter.utf8(t.action), KIND_SERVER, t.startNanos, t.endNanos);
        keyValue(span, SPAN_ATTRIBUTES, ACTION, t.action);
        keyValue(span, SPAN_ATTRIBUTES, REQUEST_ID, t.requestId);
        keyValue(span, SPAN_ATTRIBUTES, STATUS, t.status);
        keyValue(span, SPAN_ATTRIBUTES, RESULT, t.result.toLowerCase(Locale.ROOT));
        if (t.errorCode != null) keyValue(span, SPAN_ATTRIBUTES, ERROR_TYPE, t.errorCode);
        if (t.calls.length > 0) {
            BackendCall last = t.calls[t.calls.length - 1];
            keyValue(span, SPAN_ATTRIBUTES, ALIAS, last.alias);
            keyValue(span, SPAN_ATTRIBUTES, BACKEND, last.backend);
        }
        end(t.status >= 500);
        for (int i = 0; i < t.stages; i++) {
            begin(t, Ids.span(), t.serverSpanId, ProtoWriter.utf8(t.stageNames[i]), KIND_INTERNAL,
                    t.stageTimes[2 * i], t.stageTimes[2 * i + 1]);
            keyValue(span, SPAN_ATTRIBUTES, STAGE_OUTCOME, OUTCOMES[t.stageOutcomes[i]]);
            if (t.stageErrors[i] != null) keyValue(span, SPAN_ATTRIBUTES, ERROR_TYPE, t.stageErrors[i]);
            end(false);
        }
        if (t.terminalEnd != 0) {
            begin(t, t.terminalSpanId, t.serverSpanId, TERMINAL, KIND_INTERNAL, t.terminalStart, t.terminalEnd);
            end(false);
            for (BackendCall c : t.calls) backendSpan(t, c);
        }
        begin(t, Ids.span(), t.serverSpanId, COMPLETE, KIND_INTERNAL, t.completeStart, t.endNanos);
        end(false);
    }

    private void backendSpan(RequestTrace t, BackendCall c) {
        begin(t, c.spanId, t.terminalSpanId, ProtoWriter.utf8(c.operation + " " + c.alias), KIND_CLIENT, c.start,
                c.end != 0 ? c.end : t.terminalEnd);
        keyValue(span, SPAN_ATTRIBUTES, OPERATION, c.operation);
        keyValue(span, SPAN_ATTRIBUTES, REQUEST_MODEL, c.alias);
        keyValue(span, SPAN_ATTRIBUTES, ALIAS, c.alias);
        keyValue(span, SPAN_ATTRIBUTES, BACKEND, c.backend);
        keyValue(span, SPAN_ATTRIBUTES, ATTEMPT, c.attempt);
        keyValue(span, SPAN_ATTRIBUTES, STREAMED, c.streamed);
        if (c.status > 0) keyValue(span, SPAN_ATTRIBUTES, STATUS, c.status);
        if (c.promptTokens >= 0) keyValue(span, SPAN_ATTRIBUTES, INPUT_TOKENS, c.promptTokens);
        if (c.completionTokens >= 0) keyValue(span, SPAN_ATTRIBUTES, OUTPUT_TOKENS, c.completionTokens);
        if (c.errorCode != null) keyValue(span, SPAN_ATTRIBUTES, ERROR_TYPE, c.errorCode);
        end(c.errorCode != null);
    }

    private void begin(RequestTrace t, long spanId, long parent, byte[] name, int kind, long start, long end) {
        span.reset();
        span.idField(SPAN_TRACE_ID, t.traceHi, t.traceLo, true);
        span.idField(SPAN_SPAN_ID, 0, spanId, false);
        if (parent != 0) span.idField(SPAN_PARENT_SPAN_ID, 0, parent, false);
        span.bytesField(SPAN_NAME, name);
        span.varintField(SPAN_KIND, kind);
        long from = t.epochNanos(start);
        span.fixed64Field(SPAN_START, from);
        span.fixed64Field(SPAN_END, Math.max(from, t.epochNanos(end)));
    }

    private void end(boolean error) {
        if (error) {
            span.lengthHeader(SPAN_STATUS, 2);
            span.varintField(STATUS_CODE, STATUS_ERROR);
        }
        spans.messageField(SCOPE_SPANS_SPANS, span);
    }

    private static void keyValue(ProtoWriter w, int field, byte[] key, String value) {
        keyValue(w, field, key, ProtoWriter.utf8(value));
    }

    private static void keyValue(ProtoWriter w, int field, byte[] key, byte[] value) {
        int any = 1 + ProtoWriter.varintSize(value.length) + value.length;
        header(w, field, key, any);
        w.bytesField(ANY_STRING, value);
    }

    private static void keyValue(ProtoWriter w, int field, byte[] key, long value) {
        header(w, field, key, 1 + ProtoWriter.varintSize(value));
        w.varintField(ANY_INT, value);
    }

    private static void keyValue(ProtoWriter w, int field, byte[] key, boolean value) {
        header(w, field, key, 2);
        w.varintField(ANY_BOOL, value ? 1 : 0);
    }

    /** The head of a KeyValue: its length, the key, and the head of its AnyValue of {@code anySize} bytes. */
    private static void header(ProtoWriter w, int field, byte[] key, int anySize) {
        int kv = 1 + ProtoWriter.varintSize(key.length) + key.length + 1 + ProtoWriter.varintSize(anySize) + anySize;
        w.lengthHeader(field, kv);
        w.bytesField(KEY_VALUE_KEY, key);
        w.lengthHeader(KEY_VALUE_VALUE, anySize);
    }
}
