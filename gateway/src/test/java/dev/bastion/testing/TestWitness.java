package dev.bastion.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Cosignature;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.audit.tlog.Proofs;
import dev.bastion.audit.tlog.TlogException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A witness that follows C2SP tlog-witness {@code add-checkpoint}, on a real loopback socket: 404 for an unknown
 * origin, 403 when no trusted log key signed, 400 for a malformed body or an old size above the new one, 409 (with
 * {@code text/x.tlog.size}) when the old size is not the one it last cosigned, 409 for a different root at the
 * same size, 422 when the consistency proof does not verify — a forked log — and otherwise it records the new tree
 * head (check and update atomically) and answers its cosignature/v1 line.
 */
public final class TestWitness implements AutoCloseable {
    private record Head(long size, byte[] root) {}

    private final HttpServer server;
    private final Cosignature.Signer signer;
    private final Map<String, NoteVerifier> logs = new HashMap<>(); // guarded by this
    private final Map<String, Head> heads = new HashMap<>();
    private final Clock clock;
    private final AtomicInteger cosigned = new AtomicInteger();
    private final List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());

    public TestWitness(String name, NoteVerifier trustedLog, Clock clock) throws IOException {
        this(name, clock);
        trust(trustedLog);
    }

    /** A witness that knows no log yet (404 for every origin until {@link #trust}). */
    public TestWitness(String name, Clock clock) throws IOException {
        this.signer = new Cosignature.Signer(name, NoteSigner.newSeed());
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/witness/add-checkpoint", this::handle);
        server.start();
    }

    /** Starts witnessing the log whose checkpoints {@code log} signs (its name is the log's origin). */
    public synchronized void trust(NoteVerifier log) {
        logs.put(log.name(), log);
    }

    public Cosignature.Verifier key() { return signer.verifier(); }

    public URI submissionPrefix() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/witness");
    }

    /** How many checkpoints it cosigned; every status it answered, in order. */
    public int cosigned() { return cosigned.get(); }

    public List<Integer> statuses() { return List.copyOf(statuses); }

    public synchronized long recordedSize(String origin) {
        Head h = heads.get(origin);
        return h == null ? 0 : h.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, "text/plain", "POST only\n");
                return;
            }
            byte[] body = ex.getRequestBody().readNBytes(128 * 1024);
            answer(ex, body);
        }
    }

    private void answer(HttpExchange ex, byte[] body) throws IOException {
        String s = new String(body, StandardCharsets.UTF_8);
        int blank = s.indexOf("\n\n");
        if (!s.startsWith("old ") || blank < 0) {
            reply(ex, 400, "text/plain", "malformed\n");
            return;
        }
        String[] head = s.substring(0, blank).split("\n");
        long old;
        List<byte[]> proof = new ArrayList<>();
        Note note;
        Checkpoint cp;
        try {
            if (!head[0].matches("old (0|[1-9][0-9]*)") || head.length - 1 > 63) throw new IllegalArgumentException();
            old = Long.parseLong(head[0].substring(4));
            for (int i = 1; i < head.length; i++) proof.add(Base64.getDecoder().decode(head[i]));
            note = Note.parse(s.substring(blank + 2).getBytes(StandardCharsets.UTF_8));
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException | TlogException e) {
            reply(ex, 400, "text/plain", "malformed\n");
            return;
        }
        NoteVerifier logKey;
        synchronized (this) {
            logKey = logs.get(cp.origin());
        }
        if (logKey == null) {
            reply(ex, 404, "text/plain", "unknown log\n");
            return;
        }
        try {
            NoteVerifier.open(note.toBytes(), List.of(logKey));
        } catch (TlogException e) {
            reply(ex, 403, "text/plain", "not signed by the log's key\n");
            return;
        }
        if (old > cp.size() || (old == 0 && !proof.isEmpty())) {
            reply(ex, 400, "text/plain", "bad old size or proof\n");
            return;
        }
        synchronized (this) { // check against the recorded head and update it atomically
            Head known = heads.getOrDefault(cp.origin(), new Head(0, null));
            if (old != known.size()) {
                reply(ex, 409, "text/x.tlog.size", known.size() + "\n");
                return;
            }
            if (old == cp.size() && old > 0 && !Arrays.equals(known.root(), cp.root())) {
                reply(ex, 409, "text/plain", "different root at the same size\n");
                return;
            }
            if (old > 0 && old < cp.size()) {
                try {
                    Proofs.verifyConsistency(old, cp.size(), proof, known.root(), cp.root());
                } catch (TlogException e) {
                    reply(ex, 422, "text/plain", "consistency proof does not verify\n");
                    return;
                }
            }
            heads.put(cp.origin(), new Head(cp.size(), cp.root()));
        }
        Note.Signature sig = signer.sign(cp.text(), clock.instant().getEpochSecond());
        byte[] raw = ByteBuffer.allocate(4 + sig.signature().length).putInt(sig.keyId()).put(sig.signature()).array();
        cosigned.incrementAndGet();
        reply(ex, 200, "text/plain; charset=utf-8",
                "\u2014 " + sig.name() + " " + Base64.getEncoder().encodeToString(raw) + "\n");
    }

    private void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        statuses.add(status);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
