package dev.bastion.pipeline;

import java.io.OutputStream;

/**
 * Where an exchange's answer goes: implemented by the HTTP layer, which adds the {@code X-Bastion-*} headers. The
 * pipeline and the backend call write through this, so they never touch the web server's types.
 */
public interface ResponseSink {

    /** Sends a complete JSON answer. */
    void sendJson(int status, byte[] body);

    /** Sends a complete answer with the given content type. */
    void send(int status, String contentType, byte[] body);

    /** Sends an OpenAI-style error body for this problem. */
    void sendProblem(Problem problem);

    /** Starts a 200 {@code text/event-stream} answer; each write should be followed by a flush per event. */
    OutputStream openEventStream();

    /** True once headers have been sent (after which only the body can still change). */
    boolean committed();
}
