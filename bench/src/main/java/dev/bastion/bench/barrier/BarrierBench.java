package dev.bastion.bench.barrier;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.InsecureFileKeyProvider;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The storage barrier's cost. Small records: {@code encrypt+decrypt} of 1 KiB through the barrier (path binding,
 * header, pooled ciphers, nonce from the OS RNG) against the floor of raw JDK AES-GCM with a reused Cipher.
 * Large values: 64 MiB through the chunked format (array and stream forms) against one JDK GCM call over the
 * whole buffer. Run: {@code java -jar bench/target/bastion-bench.jar BarrierBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BarrierBench {
    static final int LARGE = 64 << 20;

    Path dir;
    Database db;
    Barrier barrier;
    byte[] record = new byte[1024];
    byte[] recordCt;
    byte[] large = new byte[LARGE];
    byte[] largeCt;
    SecretKeySpec rawKey;
    Cipher rawCipher;
    SecureRandom random = new SecureRandom();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bastion-bench");
        db = Database.open(StoreConfig.sqlite(dir.resolve("b.db")));
        barrier = Barrier.over(db);
        barrier.initialize(new InsecureFileKeyProvider(dir.resolve("insecure.key")));
        random.nextBytes(record);
        random.nextBytes(large);
        recordCt = barrier.encrypt("vault/conv/1", record);
        largeCt = barrier.encrypt("blobs/large", large);
        byte[] k = new byte[32];
        random.nextBytes(k);
        rawKey = new SecretKeySpec(k, "AES");
        rawCipher = Cipher.getInstance("AES/GCM/NoPadding");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        barrier.seal();
        db.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] record1KiBRoundTrip() {
        return barrier.decrypt("vault/conv/1", barrier.encrypt("vault/conv/1", record));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] record1KiBEncrypt() { return barrier.encrypt("vault/conv/1", record); }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] record1KiBDecrypt() { return barrier.decrypt("vault/conv/1", recordCt); }

    /** Floor: the same AES-256-GCM work with one reused Cipher and no envelope, path or pooling. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte[] baselineRawGcm1KiBRoundTrip() throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        byte[] ct = rawCipher.doFinal(record);
        rawCipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        return rawCipher.doFinal(ct);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public byte[] large64MiBEncrypt() { return barrier.encrypt("blobs/large", large); }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public byte[] large64MiBDecrypt() { return barrier.decrypt("blobs/large", largeCt); }

    /** Stream form into a sink that discards: no 64 MiB output allocation. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void large64MiBStreamEncrypt() throws IOException {
        try (OutputStream out = barrier.encryptingStream("blobs/large", OutputStream.nullOutputStream())) {
            for (int off = 0; off < LARGE; off += 1 << 20) out.write(large, off, 1 << 20);
        }
    }

    /** Baseline: one JDK AES-GCM call over the whole 64 MiB buffer. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public byte[] baselineRawGcm64MiBEncrypt() throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        return rawCipher.doFinal(large);
    }
}
