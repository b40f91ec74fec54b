package dev.bastion.replicas;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients behind a load balancer in front of the replicas: each client sends model requests in a loop (streams that
 * drip for about a second, and plain answers, alternately) to the next replica in rotation, as a Kubernetes Service
 * sends to ready endpoints. A request the replica refused before starting it — connection refused, or 503
 * {@code shutting_down} — goes to another replica, as a load balancer retries it; everything else is recorded as
 * it ended.
 */
final class Traffic implements AutoCloseable {
    private static final String STREAM = "{\"model\":\"drip\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    private static final String PLAIN = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    /** How one request ended. {@code auditIndex} is -1 when no answer head arrived. */
    record Ended(int replica, boolean stream, String requestId, long auditIndex, int status, Kind kind) {}

    enum Kind {
        /** A complete answer: the whole JSON body, or a stream through {@code [DONE]}. */
        COMPLETE,
        /** The answer started (head received), then the connection broke. */
        BROKEN,
        /** An error status other than a refusal before start. */
        FAILED
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final Cluster cluster;
    private final String key;
    private final List<Integer> rotation = new CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();
    final Queue<Ended> ended = new ConcurrentLinkedQueue<>();
    /** Requests a replica refused before starting them, sent again to another one. */
    final AtomicInteger retried = new AtomicInteger();
    /** Streams whose head arrived and whose end did not yet, per replica. */
    final AtomicIntegerArray openStreams;
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopped;

    Traffic(Cluster cluster, String key, int clients) {
        this.cluster = cluster;
        this.key = key;
        this.openStreams = new AtomicIntegerArray(cluster.size());
        for (int i = 0; i < cluster.size(); i++) rotation.add(i);
        for (int i = 0; i < clients; i++) {
            boolean stream = i % 2 == 0;
            this.clients.add(Thread.ofVirtual().start(() -> loop(stream)));
        }
    }

    /** Takes a replica out of rotation (its readiness failed / it is being stopped): no new request goes to it. */
    void out(int replica) { rotation.remove(Integer.valueOf(replica)); }

    void in(int replica) { if (!rotation.contains(replica)) rotation.add(replica); }

    long complete(int replica) {
        return ended.stream().filter(e -> e.replica() == replica && e.kind() == Kind.COMPLETE).count();
    }

    List<Ended> of(Kind kind) { return ended.stream().filter(e -> e.kind() == kind).toList(); }

    private void loop(boolean stream) {
        while (!stopped) {
            List<Integer> now = List.copyOf(rotation);
            if (now.isEmpty()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                continue;
            }
            int replica = now.get((int) (next.getAndIncrement() % now.size()));
            URI base;
            try {
                base = cluster.base(replica);
            } catch (RuntimeException e) {
                continue; // restarting right now
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(stream ? STREAM : PLAIN, StandardCharsets.UTF_8)).build();
            HttpResponse<InputStream> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                retried.incrementAndGet(); // nothing started: the balancer sends it elsewhere
                continue;
            } catch (InterruptedException e) {
                return;
            }
            read(replica, stream, r);
        }
    }

    private void read(int replica, boolean stream, HttpResponse<InputStream> r) {
        String id = r.headers().firstValue("X-Bastion-Request-Id").orElse(null);
        long index = r.headers().firstValue("X-Bastion-Audit-Index").map(Long::parseLong).orElse(-1L);
        boolean counted = stream && r.statusCode() == 200;
        if (counted) openStreams.incrementAndGet(replica);
        try (InputStream in = r.body()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (r.statusCode() == 503 && body.contains("shutting_down")) {
                retried.incrementAndGet(); // refused before it started: sent elsewhere
                return;
            }
            boolean whole = r.statusCode() == 200 && (stream ? body.contains("data: [DONE]") : body.endsWith("}"));
            ended.add(new Ended(replica, stream, id, index, r.statusCode(), whole ? Kind.COMPLETE : Kind.FAILED));
        } catch (IOException e) {
            ended.add(new Ended(replica, stream, id, index, r.statusCode(), Kind.BROKEN));
        } finally {
            if (counted) openStreams.decrementAndGet(replica);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : clients) t.join(Duration.ofSeconds(40));
        http.close();
    }
}
