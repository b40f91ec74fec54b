package dev.bastion.bench.audit;

import dev.bastion.audit.Actor;
import dev.bastion.audit.CompleteEntry;
import dev.bastion.audit.ModelRoute;
import dev.bastion.audit.PolicyDecision;
import dev.bastion.audit.RequestEntry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A realistic accept entry (~600 bytes of canonical JSON), as the pipeline's audit stage writes one, and its complete entry. */
final class SampleEntries {
    private static final Actor ACTOR = Actor.of("key:3f9a1c0b7d", List.of("analyst", "app:support-bot"), "api_key");
    private static final ModelRoute MODEL = new ModelRoute("chat-small", "meta-llama/Llama-3.1-8B-Instruct", "vllm-eu-1");
    private static final PolicyDecision DECISION = new PolicyDecision("permit",
            List.of("support-may-use-chat", "eu-data-stays-in-eu"), List.of("mask:EMAIL", "pseudonymise:PERSON"));

    private SampleEntries() {}

    static RequestEntry request(String requestId) {
        return RequestEntry.builder(requestId, Instant.now()).principal(ACTOR).clientAddress("10.20.30.40")
                .action("model.invoke").model(MODEL).purpose("customer-support").subjects(List.of("subj-8c1e2f"))
                .classification("confidential").decision(DECISION).findings(Map.of("EMAIL", 2, "PERSON", 1))
                .stream(true).build();
    }

    /** The complete entry that follows an accept entry at {@code acceptIndex}. */
    static CompleteEntry complete(String requestId, long acceptIndex) {
        return new CompleteEntry(requestId, Instant.now(), acceptIndex, 200, "ok", null, 412, 128, 850,
                new java.util.TreeMap<>());
    }
}
