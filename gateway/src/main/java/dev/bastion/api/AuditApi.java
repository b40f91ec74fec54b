package dev.bastion.api;

import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

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

    public AuditApi(Supplier<AuditLedger> ledger) {
        this.ledger = ledger;
    }

    public void register(AdminRoutes routes) {
        Access read = Access.to(ACTION);
        routes.get("/bastion/v1/audit/proof/inclusion", read, this::inclusion);
        routes.get("/bastion/v1/audit/proof/consistency", read, this::consistency);
        routes.get("/bastion/v1/audit/*", read, this::tile);
    }

    private Reply tile(AdminCall call) {
        String path = call.path().substring(PREFIX.length());
        Optional<AuditLogReader.Resource> r = read(() -> ledger.get().reader().read(path));
        if (r.isEmpty()) throw new ProblemException(ErrorCode.NOT_FOUND.problem("no such audit resource"));
        // tiles and full bundles never change; the checkpoint and partial tiles do
        return Reply.bytes(200, r.get().contentType(), r.get().body()).header("Cache-Control",
                r.get().immutable() ? "public, max-age=31536000, immutable" : "no-cache");
    }

    private Reply inclusion(AdminCall call) {
        long index = number(call, "index");
        long size = number(call, "size");
        List<byte[]> proof = read(() -> ledger.get().reader().inclusionProof(index, size));
        return Reply.ok(Map.of("index", index, "size", size, "proof", encode(proof)));
    }

    private Reply consistency(AdminCall call) {
        long from = number(call, "from");
        long to = number(call, "to");
        List<byte[]> proof = read(() -> ledger.get().reader().consistencyProof(from, to));
        return Reply.ok(Map.of("from", from, "to", to, "proof", encode(proof)));
    }

    private static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
    }

    private static long number(AdminCall call, String name) {
        String v = call.query(name).orElseThrow(() -> new ProblemException(
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
