package dev.bastion.rag;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextExtractorTest {
    @Test
    void htmlKeepsHeadingsAsContextAndDropsScriptsStylesAndNavigation() throws Exception {
        String html = "<html><head><title>Handbook</title><style>p{}</style></head><body><nav>Home | About</nav>"
                + "<h1>Travel</h1><p>Book trains <b>two weeks</b> ahead.</p><script>steal()</script>"
                + "<h2>Hotels</h2><ul><li>Stay within budget.</li><li>Keep receipts.</li></ul></body></html>";
        var x = TextExtractor.extract(TextExtractor.format("page.html", html.getBytes()), html.getBytes(StandardCharsets.UTF_8));
        assertThat(x.format()).isEqualTo("html");
        assertThat(x.sections()).extracting(TextExtractor.Section::heading)
                .containsExactly("Handbook › Travel", "Handbook › Travel › Hotels");
        assertThat(x.sections().getFirst().text()).isEqualTo("Book trains two weeks ahead.");
        assertThat(x.sections().get(1).text()).contains("Stay within budget.", "Keep receipts.");
        String all = x.sections().toString();
        assertThat(all).doesNotContain("steal", "Home | About", "p{}");
    }

    @Test
    void pdfTextComesPageByPageWithItsTitle() throws Exception {
        byte[] pdf = Pdfs.of("Quarterly report", List.of(List.of("Revenue grew by four percent."),
                List.of("Costs fell by two percent.")));
        var x = TextExtractor.extract(TextExtractor.format("r.bin", pdf), pdf);
        assertThat(x.format()).isEqualTo("pdf");
        assertThat(x.pages()).isEqualTo(2);
        assertThat(x.sections()).extracting(TextExtractor.Section::page).containsExactly(1, 2);
        assertThat(x.sections().get(1).text()).isEqualTo("Costs fell by two percent.");
        assertThat(x.sections().getFirst().heading()).isEqualTo("Quarterly report");
    }

    @Test
    void markdownFencesAreNotHeadingsAndTextMustBeUtf8() throws Exception {
        String md = "# Setup\n\n```\n# not a heading\n```\n\n### Deep\n\ntext";
        var x = TextExtractor.extract("md", md.getBytes(StandardCharsets.UTF_8));
        assertThat(x.sections()).extracting(TextExtractor.Section::heading).containsExactly("Setup", "Setup › Deep");
        assertThat(x.sections().getFirst().text()).contains("# not a heading");
        assertThatThrownBy(() -> TextExtractor.extract("txt", new byte[]{(byte) 0xFF, (byte) 0xFE, 0x41}))
                .isInstanceOf(TextExtractor.UnreadableException.class);
    }
}
