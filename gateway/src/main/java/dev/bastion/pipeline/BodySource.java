package dev.bastion.pipeline;

/** The request body as the HTTP layer delivers it; read on demand so unauthenticated requests are never parsed. */
@FunctionalInterface
public interface BodySource {

    /** All body bytes; throws a {@link ProblemException} (413 {@code body_too_large}) past {@code maxBytes}. */
    byte[] read(long maxBytes);
}
