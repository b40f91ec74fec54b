package dev.bastion.inspect;

import dev.bastion.testing.VariedCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every speed shortcut of inspection gives exactly the findings of the full path, over the varied corpus (thousands of
 * different prompts, prose, code, chats, languages) and over hand-made texts at the edges of each shortcut.
 */
class InspectShortcutsTest {
    private static List<String> corpus;

    @BeforeAll
    static void load() {
        corpus = new ArrayList<>(VariedCorpus.load().stream().map(VariedCorpus.Sample::text).toList());
        // the prefilter's edges: addresses alone, at the ends, in every text form, and near-misses
        corpus.addAll(List.of("10.0.0.1", "::1", "a::", "fe80::1%eth0", "::ffff:192.0.2.1", "2001:db8:0:0:0:0:2:1",
                "host 1.2.3.4.", "x:1", "1.2", "Time 12:30", "see String::length", "v1.2.3.4 and 255.255.255.255"));
    }

    @Test
    void theIpPrefilterNeverHidesAnAddressTheFullScanFinds() {
        IpAddressDetector ip = new IpAddressDetector();
        int withAddress = 0;
        int skipped = 0;
        for (String s : corpus) {
            List<Finding> fast = new ArrayList<>();
            List<Finding> full = new ArrayList<>();
            ip.detect(new Text(s), fast);
            ip.scan(new Text(s), full);
            assertThat(fast).as("findings of the prefiltered detector").isEqualTo(full);
            if (!full.isEmpty()) withAddress++;
            if (!IpAddressDetector.mayContain(s)) skipped++;
        }
        // the comparison has teeth: many texts hold addresses, and most are skipped by the prefilter
        assertThat(withAddress).isGreaterThan(100);
        assertThat(skipped).isGreaterThan(corpus.size() / 2);
    }
}
