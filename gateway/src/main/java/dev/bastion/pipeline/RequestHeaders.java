package dev.bastion.pipeline;

import java.util.List;

/** Read access to the request headers, independent of the web server. Names are case-insensitive. */
public interface RequestHeaders {

    /** No headers at all (exchanges made without HTTP: the offline CLI, tests). */
    RequestHeaders NONE = new RequestHeaders() {
        @Override
        public String first(String name) { return null; }

        @Override
        public List<String> all(String name) { return List.of(); }
    };

    /** The first value, or null. */
    String first(String name);

    /** Every value sent for this name, in order (a header sent twice gives two entries). */
    List<String> all(String name);
}
