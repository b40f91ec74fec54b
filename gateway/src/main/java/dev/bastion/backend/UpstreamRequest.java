package dev.bastion.backend;

import dev.bastion.pipeline.ModelRequest;

/**
 * A backend call made ready but not sent: the exact bytes that will go to the backend, to which path. Prepared
 * after the last stage that may change the request, so the accept record can describe these bytes and the call
 * sends nothing else.
 *
 * @param request the request it was prepared from (backends read what they need to translate the answer)
 * @param path    the path below the backend's base URL
 * @param body    the exact request body sent
 * @param stream  whether the answer is an event stream
 */
public record UpstreamRequest(ModelRequest request, String path, byte[] body, boolean stream) {

    @Override
    public String toString() { return "UpstreamRequest[" + path + ", " + body.length + " bytes]"; }
}
