package dev.bastion.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running policy, swapped atomically. Reloads on demand ({@link #reload()}, e.g. from
 * {@code POST /bastion/v1/policy/reload}) and, once {@link #watch()} is called, whenever anything in the file's
 * directory changes (editors and Kubernetes ConfigMaps replace files by rename). A file that does not compile keeps the
 * old policy running; {@link #lastResult()} says why.
 */
public final class PolicyHolder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PolicyHolder.class.getName());
    /** Who reloads when the file changes on disk and nobody asked. */
    public static final String FILE_WATCH = "system:policy-file-watch";

    private final Path file;
    private final AtomicReference<Policy> current;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private final List<Consumer<ReloadResult>> listeners = new CopyOnWriteArrayList<>();
    private volatile ReloadResult last;
    /** The store version running (0 while the policy is not kept in a store). */
    private volatile long version;
    /** Set once the policy lives in the database: file reloads then write a new version there. */
    private volatile PolicyStore store;
    private volatile BooleanSupplier fresh = () -> true;
    private final Object installLock = new Object();
    private WatchService watcher;
    private Thread watchThread;

    private PolicyHolder(Path file, Policy initial) {
        this.file = file;
        this.current = new AtomicReference<>(initial);
        this.last = new ReloadResult.Applied("", initial.digest(), initial.ruleCount());
    }

    /** Loads {@code file}; an invalid file at start is an error (there is no old policy to keep). */
    public static PolicyHolder open(Path file) throws IOException, PolicyCompileException {
        Path abs = file.toAbsolutePath().normalize();
        return new PolicyHolder(abs, Policy.load(abs));
    }

    /** A holder around a fixed policy (no file: {@link #reload()} answers Unchanged). */
    public static PolicyHolder of(Policy policy) { return new PolicyHolder(null, policy); }

    /** The policy that decides right now. */
    public Policy current() { return current.get(); }

    /** Shorthand for {@code current().decide(request)}. */
    public Decision decide(PolicyRequest request) { return current.get().decide(request); }

    /** "Would this be allowed, and why?" against the running policy, without side effects. */
    public Explanation simulate(PolicyRequest request) { return current.get().simulate(request); }

    /** The store version of the running policy; 0 when the policy is not kept in a store. */
    public long version() { return version; }

    /** The configured file, or null for the shipped default. */
    public Path file() { return file; }

    /**
     * Whether this replica can vouch that it runs the latest policy version (always, without a store); decisions
     * made while it cannot are refused (fail closed).
     */
    public boolean isFresh() { return fresh.getAsBoolean(); }

    /** From now on the running policy is the store's latest version, and file reloads go through the store. */
    void storedIn(PolicyStore store, BooleanSupplier fresh) {
        this.store = store;
        this.fresh = fresh;
    }

    /** Runs {@code next} as store version {@code version}. */
    void install(Policy next, long version) {
        // not the reload lock: a reload holds it while waiting for every replica, this one's feed thread included
        synchronized (installLock) {
            if (version <= this.version) return; // an older version delivered late never replaces a newer one
            current.set(next);
            this.version = version;
        }
    }

    void recordResult(ReloadResult result) { last = result; }

    /** The outcome of the last reload attempt (initially the load that opened the holder). */
    public ReloadResult lastResult() { return last; }

    /** Called after every reload attempt (on the reloading thread); must not block. */
    public void addListener(Consumer<ReloadResult> listener) { listeners.add(listener); }

    /** Reads and compiles the file again; swaps only if it compiled and differs. */
    public ReloadResult reload() {
        reloadLock.lock();
        try {
            Policy running = current.get();
            ReloadResult result;
            if (file == null) {
                result = new ReloadResult.Unchanged(running.digest());
            } else if (store != null) {
                result = store.reloadFile(file, FILE_WATCH).result();
            } else {
                result = tryLoad(running);
            }
            last = result;
            for (var l : listeners) {
                try {
                    l.accept(result);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "policy reload listener failed: {0}", e.getClass().getName());
                }
            }
            return result;
        } finally {
            reloadLock.unlock();
        }
    }

    private ReloadResult tryLoad(Policy running) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warning("policy file unreadable, keeping " + running.digest() + ": " + e.getClass().getSimpleName());
            return new ReloadResult.Rejected(running.digest(),
                    List.of(new PolicyError(file.toString(), 0, 0, "cannot read file: " + e.getClass().getSimpleName())));
        }
        if (Policy.digest(text).equals(running.digest())) return new ReloadResult.Unchanged(running.digest());
        try {
            Policy next = Policy.parse(file.toString(), text);
            current.set(next);
            LOG.info("policy reloaded: " + running.digest() + " -> " + next.digest() + " (" + next.ruleCount() + " rules)");
            return new ReloadResult.Applied(running.digest(), next.digest(), next.ruleCount());
        } catch (PolicyCompileException e) {
            LOG.warning("policy file rejected, keeping " + running.digest() + ": " + e.getMessage());
            return new ReloadResult.Rejected(running.digest(), e.errors());
        }
    }

    /** Starts reloading on file changes, on one virtual thread. Idempotent. */
    public synchronized void watch() throws IOException {
        if (file == null || watchThread != null) return;
        Path dir = file.getParent();
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        WatchService ws = watcher;
        watchThread = Thread.ofVirtual().name("policy-watch").start(() -> {
            try {
                while (true) {
                    var key = ws.take();
                    key.pollEvents();
                    key.reset();
                    if (Files.exists(file)) reload();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closing
            }
        });
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            watchThread.interrupt();
            watcher = null;
            watchThread = null;
        }
    }
}
