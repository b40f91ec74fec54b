package dev.bastion.api;

import dev.bastion.pipeline.RequestHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Helidon's request headers seen through the web-server-neutral {@link RequestHeaders}. */
record HelidonHeaders(ServerRequestHeaders headers) implements RequestHeaders {
    private static final ConcurrentHashMap<String, HeaderName> NAMES = new ConcurrentHashMap<>();

    @Override
    public String first(String name) {
        return headers.first(nameOf(name)).orElse(null);
    }

    @Override
    public List<String> all(String name) {
        return headers.all(nameOf(name), List::of);
    }

    private static HeaderName nameOf(String name) {
        // the set of names Bastion asks for is small and fixed: cache instead of re-creating per request
        return NAMES.computeIfAbsent(name, HeaderNames::create);
    }
}
