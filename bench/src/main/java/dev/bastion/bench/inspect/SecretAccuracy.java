package dev.bastion.bench.inspect;

import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.Finding;
import dev.bastion.inspect.Inspection;
import dev.bastion.inspect.Inspector;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * SECRET precision/recall on a generated set (no public labelled secret corpus is in testdata): random credentials of
 * each supported format placed in sentence and config templates, and look-alikes that must not be reported (UUIDs,
 * hex digests, placeholders, short or commented-out values, ordinary prose). Span-level: a positive counts when a
 * SECRET finding (score ≥ 0.5) covers the secret value exactly or contains it; any SECRET finding on a negative is a
 * false positive. Fixed seed; the generator is below, so the set is fully inspectable.
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.bench.inspect.SecretAccuracy [n]</pre>
 */
public final class SecretAccuracy {
    private static final String AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String AZ09 = AZ + "0123456789";
    private static final String ALNUM = AZ09 + "abcdefghijklmnopqrstuvwxyz";
    private static final String B64URL = ALNUM + "-_";

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Random r = new Random(20261126);
        Inspector inspector = Inspector.builder().injection(false).build();
        String[] sentence = {"Here is my key: %s, please keep it safe.", "export TOKEN_VALUE=%s", "use %s for the deploy",
                "The CI failed with credential %s in the log.", "config:\n  value: %s\n"};
        int tp = 0, fn = 0, fp = 0, negatives = 0;
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] sv = secret(r, i % 11);
            String text = sv[0];
            String value = sv[1];
            if (text == null) {
                text = String.format(sentence[r.nextInt(sentence.length)], value);
            }
            int at = text.indexOf(value);
            boolean hit = false;
            for (Finding f : findings(inspector, text)) {
                if (f.type() == EntityType.SECRET && f.score() >= 0.5 && f.start() <= at && f.end() >= at + value.length()) hit = true;
            }
            if (hit) tp++;
            else { fn++; if (misses.size() < 10) misses.add(text.replace("\n", "\\n")); }
        }
        String[] neg = {"request id 3f2b9c1e-8d7a-4e1f-9b2c-5a6d7e8f9a0b failed", "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "password: ********", "api_key = ${API_KEY}", "token: <your token here>", "# password=", "the password is required",
                "Set the secret in the vault, never in code.", "git commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
                "She asked for the access key policy document.", "apiKey: process.env.API_KEY", "password = null",
                "The bearer of this letter is my friend.", "Use Basic authentication with your own credentials.",
                "max_tokens=512 and temperature=0.2", "eyJ is how base64 JSON starts", "-----BEGIN CERTIFICATE-----",
                "see http://example.com/docs for the token format", "AKIA is the prefix of AWS access key ids",
                "sk-learn is a library name"};
        for (String t : neg) {
            negatives++;
            for (Finding f : findings(inspector, t)) {
                if (f.type() == EntityType.SECRET && f.score() >= 0.5) { fp++; misses.add("FP: " + t); break; }
            }
        }
        double p = (double) tp / (tp + fp);
        double rec = (double) tp / (tp + fn);
        System.out.printf("SECRET generated set: positives %d, negatives %d: tp %d fn %d fp %d  P %.3f R %.3f%n",
                n, negatives, tp, fn, fp, p, rec);
        misses.forEach(m -> System.out.println("  " + m));
    }

    private static List<Finding> findings(Inspector in, String text) {
        return switch (in.inspect(text)) {
            case Inspection.Found f -> f.findings();
            case Inspection.Failed f -> throw new IllegalStateException("inspection failed: " + f);
        };
    }

    private static String rnd(Random r, String alphabet, int len) {
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }

    /** {full text or null to use a sentence template, the secret value}. */
    private static String[] secret(Random r, int kind) {
        return switch (kind) {
            case 0 -> new String[]{null, "AKIA" + rnd(r, AZ09, 16)};
            case 1 -> new String[]{null, "ghp_" + rnd(r, ALNUM, 36)};
            case 2 -> new String[]{null, "xoxb-" + rnd(r, "0123456789", 11) + "-" + rnd(r, ALNUM, 24)};
            case 3 -> new String[]{null, "sk_live_" + rnd(r, ALNUM, 24)};
            case 4 -> new String[]{null, "AIza" + rnd(r, B64URL, 35)};
            case 5 -> {
                String h = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes());
                String p = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"sub\":\"" + rnd(r, ALNUM, 10) + "\"}").getBytes());
                yield new String[]{null, h + "." + p + "." + rnd(r, B64URL, 43)};
            }
            case 6 -> {
                String body = rnd(r, ALNUM + "+/", 64) + "\n" + rnd(r, ALNUM + "+/", 64) + "\n" + rnd(r, ALNUM + "+/", 20);
                String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----";
                yield new String[]{"my key is\n" + pem + "\nthanks", pem};
            }
            case 7 -> {
                String pw = rnd(r, ALNUM, 8 + r.nextInt(8));
                yield new String[]{"connect to postgres://app:" + pw + "@db.internal:5432/main now", pw};
            }
            case 8 -> {
                String pw = rnd(r, ALNUM + "!#%", 10 + r.nextInt(6));
                String[] forms = {"DB_PASSWORD=%s", "\"password\": \"%s\"", "client_secret: %s", "my password is %s"};
                yield new String[]{String.format(forms[r.nextInt(forms.length)], pw), pw};
            }
            case 9 -> {
                String tok = rnd(r, ALNUM, 32);
                yield new String[]{"curl -H 'Authorization: Bearer " + tok + "' https://api.internal/v1", tok};
            }
            default -> new String[]{null, "sk-proj-" + rnd(r, B64URL, 40)};
        };
    }
}
