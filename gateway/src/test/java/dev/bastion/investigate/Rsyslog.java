package dev.bastion.investigate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real rsyslog (Debian's {@code rsyslog} + {@code rsyslog-gnutls}) receiving syslog over TLS on two ports — one
 * file per port — with a certificate from a throw-away CA. Started and stopped by the test that owns it. Its GnuTLS
 * driver offers TLS 1.3 (all Bastion speaks by default) only with the priority string {@code NORMAL}.
 */
final class Rsyslog implements AutoCloseable {
    static final String BINARY = "/usr/sbin/rsyslogd";

    final Path dir;
    final int[] ports;
    final Path ca;
    private Process process;

    Rsyslog(Path dir, int portCount) throws IOException {
        this.dir = dir;
        this.ports = new int[portCount];
        for (int i = 0; i < portCount; i++) ports[i] = freePort();
        Files.createDirectories(dir.resolve("work"));
        this.ca = dir.resolve("ca.pem");
        // GnuTLS reads OpenSSL's key files; the JDK's PKCS#8 EC encoding it does not
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "1", "-subj", "/CN=rsyslog test CA");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "1", "-extfile", "san.ext");
        StringBuilder conf = new StringBuilder("""
                global(workDirectory="%1$s/work"
                       DefaultNetstreamDriver="gtls"
                       DefaultNetstreamDriverCAFile="%1$s/ca.pem"
                       DefaultNetstreamDriverCertFile="%1$s/server.pem"
                       DefaultNetstreamDriverKeyFile="%1$s/server.key")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
                template(name="raw" type="string" string="%%rawmsg%%\\n")
                """.formatted(dir));
        for (int i = 0; i < portCount; i++) {
            conf.append("""
                    ruleset(name="r%1$d") { action(type="omfile" file="%2$s/received-%1$d.log" template="raw" asyncWriting="off" flushOnTXEnd="on") }
                    input(type="imtcp" port="%3$d" ruleset="r%1$d" gnutlsPriorityString="NORMAL")
                    """.formatted(i, dir, ports[i]));
        }
        Files.writeString(dir.resolve("rsyslog.conf"), conf);
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.out").toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl failed: " + Files.readString(dir.resolve("openssl.out")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static boolean installed() { return Files.isExecutable(Path.of(BINARY)); }

    void start() throws Exception {
        process = new ProcessBuilder(BINARY, "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslog.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int port : ports) {
            while (!accepting(port)) {
                if (!process.isAlive()) throw new IllegalStateException("rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out")));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslogd is not listening: " + Files.readString(dir.resolve("rsyslogd.out")));
                }
                LockSupport.parkNanos(20_000_000);
            }
        }
    }

    /** SIGTERM, as an operator restarting the receiver would; rsyslog writes out what it received first. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    /** Lines received on port {@code i} so far. */
    List<String> received(int i) throws IOException {
        Path f = dir.resolve("received-" + i + ".log");
        if (!Files.exists(f)) return List.of();
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    private static boolean accepting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException { stop(); }
}
