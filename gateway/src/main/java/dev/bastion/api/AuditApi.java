package dev.bastion.api;

import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The audit log's read API under {@code /bastion/v1/audit/}: the C2SP tlog-tiles layout ({@code checkpoint},
 * {@code tile/<L>/<N>[.p/<W>]}, {@code tile/entries/<N>[.p/<W>]}) served byte for byte, so any tlog-tiles client
 * can verify it, plus inclusion and consistency proofs. Reading needs {@code audit.read}.
 */
public final class AuditApi {
    static final String ACTION = "audit.read";
    private static final String PREFIX = "/bastion/v1/audit/";

    private final Supplier<AuditLedger> ledger;
    private final AdminGuard guard;

    public AuditApi(Supplier<AuditLedger> ledger, AdminGuard guard) {
        this.ledger = ledger;
        this.guard = guard;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/bastion/v1/audit/proof/inclusion", Responses.guarded(this::inclusion));
        routing.get("/bastion/v1/audit/proof/consistency", Responses.guarded(this::consistency));
        routing.get("/bastion/v1/audit/*", Responses.guarded(this::tile));
    }

    private void tile(ServerRequest req, ServerResponse res) {
        guard.require(req, ACTION);
        String path = req.path().path().substring(PREFIX.length());
        Optional<AuditLogReader.Resource> r = read(() -> ledger.get().reader().read(path));
        if (r.isEmpty()) throw new ProblemException(ErrorCode.NOT_FOUND.problem("no such audit resource"));
        res.header(HeaderNames.CONTENT_TYPE, r.get().contentType());
        // tiles and full bundles never change; the checkpoint and partial tiles do
        res.header(HeaderNames.CACHE_CONTROL, r.get().immutable() ? "public, max-age=31536000, immutable" : "no-cache");
        res.send(r.get().body());
    }

    private void inclusion(ServerRequest req, ServerResponse res) {
        guard.require(req, ACTION);
        long index = number(req, "index");
        long size = number(req, "size");
        List<byte[]> proof = read(() -> ledger.get().reader().inclusionProof(index, size));
        Responses.json(res, 200, Map.of("index", index, "size", size, "proof", encode(proof)));
    }

    private void consistency(ServerRequest req, ServerResponse res) {
        guard.require(req, ACTION);
        long from = number(req, "from");
        long to = number(req, "to");
        List<byte[]> proof = read(() -> ledger.get().reader().consistencyProof(from, to));
        Responses.json(res, 200, Map.of("from", from, "to", to, "proof", encode(proof)));
    }

    private static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
    }

    private static long number(ServerRequest req, String name) {
        String v = req.query().first(name).orElseThrow(() -> new ProblemException(
                ErrorCode.MISSING_FIELD.problem("query parameter '" + name + "' is required", name)));
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(name + " must be a non-negative integer", name));
        }
    }

    private interface Read<T> {
        T get() throws AuditUnavailableException;
    }

    private static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (AuditUnavailableException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the audit log cannot be read right now"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("no such proof: sizes or index out of range"));
        }
    }
}
