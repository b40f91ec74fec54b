package dev.bastion.rag;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkerTest {
    @Test
    void chunksStayWithinTheirSizeOverlapAtSentenceEndsAndKeepTheirHeadings() throws Exception {
        StringBuilder b = new StringBuilder("# Guide\n\n## Install\n\n");
        for (int i = 0; i < 40; i++) b.append("Sentence number ").append(i).append(" explains one more install step. ");
        b.append("\n\n## Uninstall\n\nRemove the package. Delete the data directory.");
        var text = TextExtractor.extract("md", b.toString().getBytes(StandardCharsets.UTF_8));
        List<Chunker.Chunk> chunks = new Chunker(400, 100).chunks(text.sections());

        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(400));
        assertThat(chunks.getFirst().heading()).isEqualTo("Guide › Install");
        assertThat(chunks.getLast().heading()).isEqualTo("Guide › Uninstall");
        assertThat(chunks.getLast().text()).isEqualTo("Remove the package. Delete the data directory.");
        assertThat(chunks.getLast().indexed()).startsWith("Guide › Uninstall\n");
        for (int i = 1; i < chunks.size() - 1; i++) {
            String prev = chunks.get(i - 1).text();
            String next = chunks.get(i).text();
            int shared = 0;
            for (int k = 1; k <= Math.min(100, prev.length()); k++) {
                if (next.startsWith(prev.substring(prev.length() - k))) shared = k;
            }
            assertThat(shared).as("chunk %d starts with the last sentences of chunk %d", i, i - 1).isBetween(40, 100);
            assertThat(prev.charAt(prev.length() - shared - 1)).isEqualTo(' '); // cut at a sentence end
        }
        // nothing is lost: every sentence is in some chunk
        for (int i = 0; i < 40; i++) {
            String s = "Sentence number " + i + " explains";
            assertThat(chunks).anySatisfy(c -> assertThat(c.text()).contains(s));
        }
    }

    @Test
    void aSentenceLongerThanAChunkIsCutAtSpacesAndNothingIsDropped() {
        String words = "word ".repeat(500).strip();
        var chunks = new Chunker(200, 40).chunks(List.of(new TextExtractor.Section("", words, 0)));
        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(200));
        assertThat(String.join(" ", chunks.stream().map(Chunker.Chunk::text).toList()).split(" ").length)
                .isGreaterThanOrEqualTo(500);
    }
}
