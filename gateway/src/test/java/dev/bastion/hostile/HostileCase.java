package dev.bastion.hostile;

import dev.bastion.testing.RawHttp;

/**
 * One hostile request and the answer it must get: a status and a stable error code ({@code ""} for a success).
 * {@code reachesBackend} is true only for the few well-formed controls that must get through.
 */
record HostileCase(String category, String name, int status, String code, boolean reachesBackend, Request request) {
    interface Request {
        RawHttp.Answer send(HostileFixture f) throws Exception;
    }

    static HostileCase refused(String category, String name, int status, String code, Request r) {
        return new HostileCase(category, name, status, code, false, r);
    }

    static HostileCase passes(String category, String name, int status, Request r) {
        return new HostileCase(category, name, status, "", status < 300, r);
    }

    @Override
    public String toString() { return category + ": " + name; }
}
