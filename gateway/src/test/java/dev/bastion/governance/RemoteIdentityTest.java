package dev.bastion.governance;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.bastion.testing.TestGateway.errorCode;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An approved remote model answers only while its backend reports the identity registered for it: swap the weights
 * behind the same name (the backend now reports another revision) and the next check stops the traffic with 503
 * {@code no_compliant_backend} (reason "identity"); put the expected weights back and it serves again.
 */
class RemoteIdentityTest {
    static StandInUpstream upstream;
    static TestGateway gw;
    static Stewards people;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream, "governance:\n  identity-recheck: 100ms\n");
        people = new Stewards(gw, upstream);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
    }

    @Test
    void aBackendThatReportsOtherWeightsStopsGettingTrafficUntilTheRegisteredOnesAreBack() throws Exception {
        String id = people.registerRemote(people.a, "echo-pinned", "standin", "echo"); // expects and reports rev-1
        people.card(people.a, id, "low");
        people.evaluate(people.a, id, people.suite("echo.jsonl", """
                {"id":"repeat","prompt":"Please repeat: approved","expected":"approved","match":"contains"}
                """));
        assertThat(people.approve(people.b, id).statusCode()).isEqualTo(200);
        assertThat(people.chat(people.developer, "echo").statusCode()).isEqualTo(200);

        upstream.reports("echo", "rev-2");
        await().atMost(10, TimeUnit.SECONDS).until(() -> people.chat(people.developer, "echo").statusCode() == 503);
        var refused = people.chat(people.developer, "echo");
        assertThat(errorCode(refused)).isEqualTo("no_compliant_backend");
        assertThat(json(refused.body()).path("error").path("message").asText()).contains("identity");
        int sent = upstream.bodies().size();
        people.chat(people.developer, "echo");
        assertThat(upstream.bodies()).as("nothing reaches a backend serving other weights").hasSize(sent);

        upstream.reports("echo", "rev-1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> people.chat(people.developer, "echo").statusCode() == 200);
    }
}
