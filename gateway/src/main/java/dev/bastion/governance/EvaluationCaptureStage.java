package dev.bastion.governance;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.Stage;

/**
 * Keeps the answer of an evaluation request for scoring, as the model produced it: placed after the transform
 * stage, its response filter is the first to see generated text (before any masking). Passes text on unchanged;
 * keeps at most 64 KiB of the first choice, in memory only.
 */
public final class EvaluationCaptureStage implements Stage {
    private static final int MAX_CHARS = 64 * 1024;

    @Override
    public String name() { return "evaluation-capture"; }

    @Override
    public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

    @Override
    public ResponseFilter responseFilter(Exchange exchange) {
        Evaluations.Ticket ticket = exchange.get(RegistryGateStage.TICKET);
        if (ticket == null) return null;
        return new ResponseFilter() {
            @Override
            public String onText(int choice, String text) {
                if (choice == 0 && ticket.answer.length() < MAX_CHARS) {
                    ticket.answer.append(text, 0, Math.min(text.length(), MAX_CHARS - ticket.answer.length()));
                }
                return text;
            }

            @Override
            public String flush(int choice) { return ""; }
        };
    }
}
