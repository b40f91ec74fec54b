package dev.bastion.barrier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real SoftHSM2 tokens for tests. SoftHSM reads {@code SOFTHSM2_CONF} from the process environment when the JVM
 * first loads it, so surefire points that variable at {@code target/softhsm2/softhsm2.conf} and this class writes
 * the file (with a fresh token directory) and initialises all tokens before any test touches PKCS#11.
 */
final class SoftHsm {
    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String PIN = "2468-test-pin";

    record Token(long slot, String label) {}

    private static Token main, other;

    private SoftHsm() {}

    static synchronized Token main() { init(); return main; }

    static synchronized Token other() { init(); return other; }

    private static void init() {
        if (main != null) return;
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven (gateway/pom.xml sets it)");
        if (!Files.isRegularFile(LIBRARY)) throw new IllegalStateException("SoftHSM2 is not installed (apt-get install softhsm2)");
        try {
            Path dir = Path.of(conf).getParent();
            Path tokens = dir.resolve("tokens-" + UUID.randomUUID());
            Files.createDirectories(tokens);
            Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                    StandardCharsets.UTF_8);
            main = initToken(conf, "bastion-main");
            other = initToken(conf, "bastion-other");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot set up SoftHSM2", e);
        }
    }

    private static Token initToken(String conf, String label) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", "13579-so-pin")
                .redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", conf);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("softhsm2-util failed: " + out);
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("unexpected softhsm2-util output: " + out);
        return new Token(Long.parseLong(m.group(1)), label);
    }
}
