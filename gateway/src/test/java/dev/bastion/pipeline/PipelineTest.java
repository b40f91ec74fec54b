package dev.bastion.pipeline;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every stage relies on: stages run in order until one does not continue; only the stages that ran get
 * their response side, in reverse order, whatever happened; a stage that throws or decides nothing refuses the
 * request (fail closed) without its message reaching the client; a reply answers at once; response filters of the
 * stages that ran see the answer in reverse order; facts are kept by type.
 */
class PipelineTest {
    private final List<String> log = new ArrayList<>();

    /** A stage that logs its calls and does what {@code decide} says. */
    private Stage stage(String name, Function<Exchange, Outcome> decide) {
        return new Stage() {
            @Override
            public String name() { return name; }

            @Override
            public Outcome onRequest(Exchange exchange) {
                log.add(name + ".request");
                return decide.apply(exchange);
            }

            @Override
            public void onComplete(Exchange exchange) {
                log.add(name + ".complete:" + exchange.completion().status());
            }
        };
    }

    private Stage passing(String name) { return stage(name, e -> Outcome.proceed()); }

    private final Terminal backend = (exchange, filter, sink) -> {
        log.add("terminal");
        sink.sendJson(200, "{}".getBytes(StandardCharsets.UTF_8));
        return new Completion(200, null, Completion.Result.OK, 1, 2, System.nanoTime());
    };

    private static Exchange exchange() {
        return new Exchange("req-1", Instant.EPOCH, 0, "127.0.0.1", RequestHeaders.NONE, null, "model.invoke",
                max -> new byte[0]);
    }

    @Test
    void everyStageRunsInOrderThenTheTerminalThenTheCompletionsInReverse() {
        Exchange e = exchange();
        RecordingSink sink = new RecordingSink();
        new Pipeline(List.of(passing("a"), passing("b"), passing("c")), backend).run(e, sink);
        assertThat(log).containsExactly("a.request", "b.request", "c.request", "terminal",
                "c.complete:200", "b.complete:200", "a.complete:200");
        assertThat(e.completion().result()).isEqualTo(Completion.Result.OK);
        assertThat(sink.status).isEqualTo(200);
    }

    @Test
    void aDenialStopsTheChainAndOnlyTheStagesThatRanComplete() {
        Exchange e = exchange();
        RecordingSink sink = new RecordingSink();
        new Pipeline(List.of(passing("a"), stage("b", x -> Outcome.deny(ErrorCode.PERMISSION_DENIED, "no")),
                passing("c")), backend).run(e, sink);
        assertThat(log).containsExactly("a.request", "b.request", "b.complete:403", "a.complete:403");
        assertThat(sink.problem.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(e.completion().result()).isEqualTo(Completion.Result.DENIED);
        assertThat(e.completion().errorCode()).isEqualTo("permission_denied");
    }

    @Test
    void aStageThatThrowsOrDecidesNothingRefusesTheRequestWithoutItsMessage() {
        for (Function<Exchange, Outcome> broken : List.<Function<Exchange, Outcome>>of(
                x -> { throw new IllegalStateException("secret prompt text"); },
                x -> null)) {
            log.clear();
            Exchange e = exchange();
            RecordingSink sink = new RecordingSink();
            new Pipeline(List.of(passing("a"), stage("b", broken), passing("c")), backend).run(e, sink);
            assertThat(log).containsExactly("a.request", "b.request", "b.complete:500", "a.complete:500");
            assertThat(sink.problem.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(sink.problem.message()).doesNotContain("secret").contains("b");
            assertThat(e.completion().result()).isEqualTo(Completion.Result.FAILED);
        }
    }

    @Test
    void aProblemExceptionIsTheDenialItCarries() {
        Exchange e = exchange();
        RecordingSink sink = new RecordingSink();
        new Pipeline(List.of(stage("a", x -> { throw new ProblemException(ErrorCode.INVALID_FIELD, "bad field"); })),
                backend).run(e, sink);
        assertThat(sink.problem.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.completion().status()).isEqualTo(400);
        assertThat(log).doesNotContain("terminal");
    }

    @Test
    void aReplyAnswersAtOnceAndSkipsTheRestAndTheTerminal() {
        Exchange e = exchange();
        RecordingSink sink = new RecordingSink();
        new Pipeline(List.of(passing("a"), stage("b", x -> new Outcome.Reply(202, "text/plain",
                "cached".getBytes(StandardCharsets.UTF_8))), passing("c")), backend).run(e, sink);
        assertThat(log).containsExactly("a.request", "b.request", "b.complete:202", "a.complete:202");
        assertThat(sink.status).isEqualTo(202);
        assertThat(sink.body).isEqualTo("cached");
        assertThat(e.completion().result()).isEqualTo(Completion.Result.OK);
    }

    @Test
    void aFailingCompletionHookDoesNotKeepTheOthersFromRunning() {
        Stage throwsOnComplete = new Stage() {
            @Override
            public String name() { return "x"; }

            @Override
            public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

            @Override
            public void onComplete(Exchange exchange) { throw new IllegalStateException("boom"); }
        };
        new Pipeline(List.of(passing("a"), throwsOnComplete, passing("c")), backend).run(exchange(), new RecordingSink());
        assertThat(log).containsExactly("a.request", "c.request", "terminal", "c.complete:200", "a.complete:200");
    }

    @Test
    void aTerminalThatThrowsStillEndsTheExchangeWithARefusal() {
        Exchange e = exchange();
        RecordingSink sink = new RecordingSink();
        new Pipeline(List.of(passing("a")), (x, f, s) -> { throw new IllegalStateException("backend text"); })
                .run(e, sink);
        assertThat(sink.problem.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(sink.problem.message()).doesNotContain("backend text");
        assertThat(log).containsExactly("a.request", "a.complete:500");
        assertThat(e.completion().result()).isEqualTo(Completion.Result.FAILED);
    }

    @Test
    void responseFiltersOfTheStagesThatRanSeeTheAnswerInReverseOrder() {
        Stage upper = filtering("upper", String::toUpperCase);
        Stage mark = filtering("mark", t -> t + "x");
        List<String> seen = new ArrayList<>();
        Terminal relay = (exchange, filter, sink) -> {
            seen.add(filter.onText(0, "ab") + filter.flush(0));
            sink.sendJson(200, new byte[0]);
            return new Completion(200, null, Completion.Result.OK, -1, -1, System.nanoTime());
        };
        // the stage that ran last filters first, and each filter gets what the one before released
        new Pipeline(List.of(upper, mark), relay).run(exchange(), new RecordingSink());
        new Pipeline(List.of(mark, upper), relay).run(exchange(), new RecordingSink());
        assertThat(seen).containsExactly("ABX", "ABx");
        // no stage looking at answers: the terminal gets no filter at all
        List<ResponseFilter> given = new ArrayList<>();
        new Pipeline(List.of(passing("plain")), (exchange, filter, sink) -> {
            given.add(filter);
            return new Completion(200, null, Completion.Result.OK, -1, -1, System.nanoTime());
        }).run(exchange(), new RecordingSink());
        assertThat(given).containsExactly((ResponseFilter) null);
    }

    @Test
    void aFilterThatHoldsTextBackReleasesItThroughTheLaterFiltersOnFlush() {
        Stage holdsAll = new Stage() {
            @Override
            public String name() { return "window"; }

            @Override
            public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

            @Override
            public ResponseFilter responseFilter(Exchange exchange) {
                StringBuilder held = new StringBuilder();
                return new ResponseFilter() {
                    @Override
                    public String onText(int choice, String text) {
                        held.append(text);
                        return "";
                    }

                    @Override
                    public String flush(int choice) { return held.toString(); }
                };
            }
        };
        List<String> out = new ArrayList<>();
        new Pipeline(List.of(filtering("upper", String::toUpperCase), holdsAll), (exchange, filter, sink) -> {
            out.add(filter.onText(0, "abc"));
            out.add(filter.flush(0));
            return new Completion(200, null, Completion.Result.OK, -1, -1, System.nanoTime());
        }).run(exchange(), new RecordingSink());
        assertThat(out).containsExactly("", "ABC");
    }

    @Test
    void factsAreKeptByTypeOneEach() {
        record Region(String name) {}
        record Tier(String name) {}
        Exchange e = exchange();
        assertThat(e.get(Region.class)).isNull();
        e.put(Region.class, new Region("eu-west"));
        e.put(Tier.class, new Tier("gold"));
        e.put(Region.class, new Region("eu-central"));
        for (int i = 0; i < 40; i++) e.put(Region.class, new Region("r" + i));
        assertThat(e.get(Region.class).name()).isEqualTo("r39");
        assertThat(e.get(Tier.class)).isEqualTo(new Tier("gold"));
        assertThat(e.action()).isEqualTo("model.invoke");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> exchange().require(Region.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Region");
    }

    private Stage filtering(String name, Function<String, String> f) {
        return new Stage() {
            @Override
            public String name() { return name; }

            @Override
            public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

            @Override
            public ResponseFilter responseFilter(Exchange exchange) {
                return new ResponseFilter() {
                    @Override
                    public String onText(int choice, String text) { return f.apply(text); }

                    @Override
                    public String flush(int choice) { return ""; }
                };
            }
        };
    }

    /** What the pipeline sent. */
    static final class RecordingSink implements ResponseSink {
        int status;
        String body;
        Problem problem;
        boolean committed;

        @Override
        public void sendJson(int status, byte[] body) { send(status, "application/json", body); }

        @Override
        public void send(int status, String contentType, byte[] body) {
            this.status = status;
            this.body = new String(body, StandardCharsets.UTF_8);
            committed = true;
        }

        @Override
        public void sendProblem(Problem problem) {
            this.problem = problem;
            this.status = problem.status();
            committed = true;
        }

        @Override
        public OutputStream openEventStream() {
            committed = true;
            return new ByteArrayOutputStream();
        }

        @Override
        public boolean committed() { return committed; }
    }
}
