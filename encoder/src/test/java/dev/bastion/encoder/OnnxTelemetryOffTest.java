package dev.bastion.encoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX Runtime's own telemetry stays off however the process was started: a JVM launched WITHOUT the environment
 * variable, with a fresh home directory, loads and runs the built-in encoder and leaves nothing in that home (ONNX
 * Runtime's telemetry would create its device id and event database under {@code ~/.cache/Microsoft}).
 */
class OnnxTelemetryOffTest {

    /** Run in the child JVM. */
    public static final class LoadAndEmbed {
        public static void main(String[] args) {
            try (OnnxSentenceEncoder enc = OnnxSentenceEncoder.miniLm(64)) {
                if (enc.embed("a short sentence").length != 384) System.exit(3);
            }
            System.exit("1".equals(NativeTelemetryOff.nativeGetenv()) ? 0 : 4);
        }
    }

    @Test
    void anEncoderLoadedWithoutTheVariableLeavesNoTelemetryStateBehind(@TempDir Path home) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LoadAndEmbed.class.getName())
                .redirectErrorStream(true).redirectOutput(home.resolveSibling(home.getFileName() + ".log").toFile());
        pb.environment().remove(NativeTelemetryOff.VARIABLE);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(p.exitValue()).as("child loaded the encoder with the variable set natively").isZero();
        assertThat(everythingUnder(home)).as("files ONNX Runtime left in the home directory").isEmpty();
    }

    private static List<Path> everythingUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).toList();
        }
    }
}
