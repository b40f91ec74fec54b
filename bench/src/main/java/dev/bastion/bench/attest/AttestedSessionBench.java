package dev.bastion.bench.attest;

import dev.bastion.attest.Admission;
import dev.bastion.attest.AllowList;
import dev.bastion.attest.AttestationSettings;
import dev.bastion.attest.AttestedTestBackend;
import dev.bastion.attest.BackendAttestor;
import dev.bastion.attest.SevSnpPolicy;
import dev.bastion.attest.SnpTestAuthority;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-request cost of attestation on an attested TLS session (goal ≤ 1 µs): {@link BackendAttestor#admit} for
 * a session that was attested once (real TLS to a local backend serving SEV-SNP evidence bound to its key).
 * Run: {@code java -jar bench/target/bastion-bench.jar AttestedSessionBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class AttestedSessionBench {
    AttestedTestBackend backend;
    SSLSocket connection;
    SSLSession session;
    BackendAttestor attestor;

    @Setup
    public void setup() throws Exception {
        SnpTestAuthority amd = new SnpTestAuthority();
        backend = new AttestedTestBackend(null);
        backend.evidence = AttestedTestBackend.snpBoundTo(amd, backend.certificate(), 0x30000);
        var settings = new AttestationSettings("sev-snp", backend.evidenceUrl(), Duration.ofHours(1),
                new SevSnpPolicy(null, AllowList.ANY, false, true, 0, false), null, null, null, List.of(amd.ark()));
        attestor = new BackendAttestor("bench", settings, backend.evidenceSource(), null, Clock.systemUTC(),
                new SecureRandom());
        connection = backend.connect();
        session = connection.getSession();
        if (!(attestor.admit(session) instanceof Admission.Admitted)) throw new IllegalStateException("not attested");
    }

    @Benchmark
    public Admission admitAttestedSession() { return attestor.admit(session); }

    @TearDown
    public void tearDown() throws Exception {
        connection.close();
        backend.close();
    }
}
