package dev.bastion.governance;

import dev.bastion.route.Route;

/**
 * How a route finds its registry entry: a local engine route by the SHA-256 of the file it serves (the
 * {@code model_sha256} backend attribute the engine sets; an adapter together with its base's), any other route by
 * backend and upstream model name.
 */
public final class Bindings {
    private Bindings() {}

    static String local(String sha256) { return "sha256:" + sha256; }

    static String remote(String backend, String upstreamModel) { return "remote:" + backend + "/" + upstreamModel; }

    /** An adapter is bound together with the base it runs on: approval of one pair says nothing of another. */
    static String adapter(String adapterSha256, String baseSha256) { return local(adapterSha256) + "@" + baseSha256; }

    /** Whether the route serves a local engine file (bound by its digest) rather than a remote backend's model. */
    static boolean isLocal(Route route) { return route.backendAttributes().containsKey("model_sha256"); }

    /** The binding key of a route. */
    public static String of(Route route) {
        if (!isLocal(route)) return remote(route.backendName(), route.upstreamModel());
        String sha = route.backendAttributes().get("model_sha256");
        String base = route.backendAttributes().get("base_sha256");
        return base == null ? local(sha) : adapter(sha, base);
    }
}
