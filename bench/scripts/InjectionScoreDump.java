import dev.bastion.inspect.*;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;

/**
 * Dumps the active injection features and the full-precision injection score ({@code Double.toString}) of every line
 * of every file under testdata/, four 64 KiB bench texts and 20,000 seeded fuzz strings (the same generator as
 * InspectFindingsDump): a byte-exact oracle for speed work on the injection model. Run from the repo root against
 * two builds and compare with cmp:
 * <pre>java -cp bench/target/bastion-bench.jar bench/scripts/InjectionScoreDump.java OUT</pre>
 */
public class InjectionScoreDump {
    public static void main(String[] a) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("testdata"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                try { texts.addAll(Files.readAllLines(p)); } catch (IOException notText) { /* binary file */ }
            }
        }
        for (int seed = 1; seed <= 4; seed++) texts.add(dev.bastion.bench.inspect.InspectBench.promptLike(65536, seed));
        Random r = new Random(12345);
        for (int i = 0; i < 20000; i++) texts.add(InspectFindingsDump.fuzz(r, 1 + r.nextInt(i % 10 == 0 ? 2000 : 200)));
        PromptInjectionDetector d = PromptInjectionDetector.standard();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(a[0])))) {
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                w.println(i + " " + d.score(t) + " " + Arrays.toString(InjectionFeatures.extract(t)));
            }
        }
        System.out.println(texts.size() + " texts");
    }
}
