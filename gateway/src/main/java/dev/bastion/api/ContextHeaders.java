package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.RequestHeaders;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code X-Bastion-*} context headers strictly: each at most once (a repeated header is a smuggling
 * attempt: proxies and backends disagree on which copy wins), and values limited to a plain token alphabet.
 */
final class ContextHeaders {
    static final String PURPOSE = "X-Bastion-Purpose";
    static final String SUBJECT = "X-Bastion-Subject";
    static final String CLASSIFICATION = "X-Bastion-Classification";
    static final String CONVERSATION = "X-Bastion-Conversation";
    /** Same name as {@code governance.Evaluations.HEADER}, which the evaluation client sends. */
    static final String EVALUATION = "X-Bastion-Evaluation";
    private static final int MAX_TOKEN = 128;
    private static final int MAX_SUBJECTS = 32;

    private ContextHeaders() {}

    static RequestContext read(RequestHeaders headers) {
        String purpose = single(headers, PURPOSE);
        String classification = single(headers, CLASSIFICATION);
        String conversation = single(headers, CONVERSATION);
        String subjectHeader = single(headers, SUBJECT);
        String evaluation = single(headers, EVALUATION);
        checkToken(PURPOSE, purpose);
        checkToken(EVALUATION, evaluation);
        checkToken(CLASSIFICATION, classification);
        checkToken(CONVERSATION, conversation);
        List<String> subjects = new ArrayList<>();
        if (subjectHeader != null) {
            for (String s : subjectHeader.split(",", -1)) {
                String t = s.strip();
                checkToken(SUBJECT, t);
                subjects.add(t);
            }
            if (subjects.size() > MAX_SUBJECTS) {
                throw bad(SUBJECT + " lists more than " + MAX_SUBJECTS + " subjects");
            }
        }
        if (purpose == null && classification == null && conversation == null && subjects.isEmpty()
                && evaluation == null) {
            return RequestContext.EMPTY;
        }
        return new RequestContext(purpose, subjects, classification, conversation, evaluation);
    }

    private static String single(RequestHeaders headers, String name) {
        List<String> values = headers.all(name);
        if (values.isEmpty()) return null;
        if (values.size() > 1) throw bad(name + " must be sent at most once");
        return values.getFirst();
    }

    /** Letters, digits and {@code . _ : -}; 1 to 128 characters. Case is preserved; policy compares exactly. */
    private static void checkToken(String header, String value) {
        if (value == null) return;
        if (value.isEmpty() || value.length() > MAX_TOKEN) throw bad(header + " must be 1 to " + MAX_TOKEN + " characters");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) throw bad(header + " may hold only letters, digits and . _ : -");
        }
    }

    private static ProblemException bad(String message) {
        return new ProblemException(ErrorCode.INVALID_HEADER.problem(message));
    }
}
