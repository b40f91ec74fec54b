package dev.bastion.rag;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an uploaded file into sections of plain text, each with the headings it sits under. txt and md must be UTF-8;
 * html is parsed leniently (scripts, styles and navigation dropped); pdf goes through PDFBox page by page (no OCR:
 * a scanned PDF yields no text and is refused as empty). Nothing here touches the network or the file system.
 */
final class TextExtractor {
    static final int CHARS_PER_PAGE = 3_000;
    private static final Set<String> BLOCKS = Set.of("p", "li", "td", "th", "pre", "blockquote", "dd", "dt",
            "figcaption", "caption", "div", "section", "article", "br", "tr");
    private static final Set<String> DROPPED = Set.of("script", "style", "nav", "noscript", "template", "svg",
            "head", "iframe", "object", "form");

    /** A run of text under a heading path ({@code "Guide › Install"}, "" for none), on a page (1-based, 0 unknown). */
    record Section(String heading, String text, int page) {}

    /** @param pages PDF pages, or started 3,000-character pages for other formats */
    record Extracted(String format, List<Section> sections, int pages) {
        int chars() { return sections.stream().mapToInt(s -> s.text().length()).sum(); }
    }

    /** Thrown for a file that cannot be read as its format; the message names the format, never content. */
    static final class UnreadableException extends Exception {
        UnreadableException(String message) { super(message); }
    }

    /** The format named by {@code hint} (a file extension or media type), else guessed from the bytes. */
    static String format(String hint, byte[] bytes) {
        String h = hint == null ? "" : hint.toLowerCase(Locale.ROOT);
        if (h.endsWith("pdf")) return "pdf";
        if (h.endsWith("html") || h.endsWith("htm")) return "html";
        if (h.endsWith("md") || h.endsWith("markdown")) return "md";
        if (h.endsWith("txt") || h.endsWith("text/plain") || h.equals("text")) return "txt";
        if (bytes.length >= 5 && bytes[0] == '%' && bytes[1] == 'P' && bytes[2] == 'D' && bytes[3] == 'F') return "pdf";
        String head = new String(bytes, 0, Math.min(bytes.length, 512), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (head.contains("<html") || head.contains("<!doctype html")) return "html";
        return "txt";
    }

    static Extracted extract(String format, byte[] bytes) throws UnreadableException {
        return switch (format) {
            case "pdf" -> pdf(bytes);
            case "html" -> html(utf8(bytes, "html"));
            case "md" -> markdown(utf8(bytes, "md"));
            case "txt" -> plain(utf8(bytes, "txt"));
            default -> throw new UnreadableException("unsupported format (txt, md, html, pdf)");
        };
    }

    private static Extracted plain(String text) {
        String t = normalise(text);
        return new Extracted("txt", t.isBlank() ? List.of() : List.of(new Section("", t, 0)), pages(t.length()));
    }

    /** ATX headings ({@code #} to {@code ######}) open sections; fenced code stays text. */
    private static Extracted markdown(String text) {
        List<Section> out = new ArrayList<>();
        String[] path = new String[6];
        StringBuilder body = new StringBuilder();
        boolean fenced = false;
        String heading = "";
        for (String line : normalise(text).split("\n", -1)) {
            String s = line.strip();
            if (s.startsWith("```") || s.startsWith("~~~")) fenced = !fenced;
            int level = fenced ? 0 : atxLevel(s);
            if (level > 0) {
                add(out, heading, body, 0);
                path[level - 1] = s.substring(level).replaceAll("#+$", "").strip();
                for (int k = level; k < 6; k++) path[k] = null;
                heading = join(path);
                continue;
            }
            body.append(line).append('\n');
        }
        add(out, heading, body, 0);
        int chars = out.stream().mapToInt(x -> x.text().length()).sum();
        return new Extracted("md", out, pages(chars));
    }

    private static int atxLevel(String s) {
        int n = 0;
        while (n < s.length() && n < 7 && s.charAt(n) == '#') n++;
        return n >= 1 && n <= 6 && (s.length() == n || s.charAt(n) == ' ') ? n : 0;
    }

    private static Extracted html(String text) {
        var doc = Jsoup.parse(text);
        List<Section> out = new ArrayList<>();
        String[] path = new String[6];
        String title = doc.title().strip();
        HtmlWalk walk = new HtmlWalk(out, path, title);
        walk.visit(doc.body());
        walk.flush();
        int chars = out.stream().mapToInt(x -> x.text().length()).sum();
        return new Extracted("html", out, pages(chars));
    }

    /** Depth-first over the DOM, starting a section at each h1–h6. */
    private static final class HtmlWalk {
        private final List<Section> out;
        private final String[] path;
        private final String title;
        private final StringBuilder body = new StringBuilder();
        private String heading;

        HtmlWalk(List<Section> out, String[] path, String title) {
            this.out = out;
            this.path = path;
            this.title = title;
            this.heading = title;
        }

        void visit(Node n) {
            if (n == null) return;
            if (n instanceof TextNode t) {
                body.append(t.text());
                return;
            }
            if (!(n instanceof Element e)) return;
            String tag = e.normalName();
            if (DROPPED.contains(tag)) return;
            if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                flush();
                int level = tag.charAt(1) - '0';
                path[level - 1] = e.text().strip();
                for (int k = level; k < 6; k++) path[k] = null;
                String joined = join(path);
                heading = title.isEmpty() || joined.startsWith(title) ? joined : title + " › " + joined;
                return;
            }
            for (Node c : e.childNodes()) visit(c);
            if (BLOCKS.contains(tag)) body.append('\n');
        }

        void flush() { add(out, heading, body, 0); }
    }

    private static Extracted pdf(byte[] bytes) throws UnreadableException {
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBuffer(ByteBuffer.wrap(bytes)))) {
            if (doc.isEncrypted() && !doc.getCurrentAccessPermission().canExtractContent()) {
                throw new UnreadableException("pdf does not permit text extraction");
            }
            String title = doc.getDocumentInformation() == null ? null : doc.getDocumentInformation().getTitle();
            String heading = title == null ? "" : title.strip();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            List<Section> out = new ArrayList<>();
            int pages = doc.getNumberOfPages();
            for (int p = 1; p <= pages; p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                StringBuilder body = new StringBuilder(normalise(stripper.getText(doc)));
                add(out, heading, body, p);
            }
            return new Extracted("pdf", out, pages);
        } catch (InvalidPasswordException e) {
            throw new UnreadableException("pdf is password-protected");
        } catch (IOException | RuntimeException e) {
            throw new UnreadableException("not a readable pdf");
        }
    }

    private static void add(List<Section> out, String heading, StringBuilder body, int page) {
        String t = body.toString().replaceAll("[ \\t\\x0B\\f]+", " ").replaceAll(" *\\n[ \\n]*\\n *", "\n\n").strip();
        if (!t.isEmpty()) out.add(new Section(heading, t, page));
        body.setLength(0);
    }

    private static String join(String[] path) {
        StringBuilder b = new StringBuilder();
        for (String p : path) {
            if (p == null || p.isEmpty()) continue;
            if (!b.isEmpty()) b.append(" › ");
            b.append(p);
        }
        return b.toString();
    }

    private static String utf8(byte[] bytes, String format) throws UnreadableException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableException(format + " is not valid UTF-8");
        }
    }

    /** Line ends to \n, NUL and other C0 controls (but tab and newline) dropped, a leading BOM removed. */
    private static String normalise(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\n') continue;
                b.append('\n');
            } else if (c == '\uFEFF' && i == 0) {
                continue;
            } else if (c < 0x20 && c != '\n' && c != '\t') {
                continue;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int pages(int chars) { return Math.max(1, (chars + CHARS_PER_PAGE - 1) / CHARS_PER_PAGE); }

    private TextExtractor() {}
}
