package dev.bastion.rag;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts sections into chunks of at most {@code size} characters along paragraph and sentence ends (words when a
 * sentence is longer), each new chunk starting with the last sentences of the previous one (at most {@code overlap}
 * characters) so that an answer spanning a cut is still found whole. Chunks never cross a heading: every chunk
 * carries the heading path of its section as context (embedded and indexed with it, shown in citations).
 */
final class Chunker {
    /** One chunk: its number within the document, heading path, text and page (0 when unknown). */
    record Chunk(int seq, String heading, String text, int page) {
        /** What is embedded and indexed: the heading path as context, then the text. */
        String indexed() { return heading.isEmpty() ? text : heading + "\n" + text; }
    }

    private final int size;
    private final int overlap;

    Chunker(int size, int overlap) {
        if (size < 100 || overlap < 0 || overlap >= size / 2) throw new IllegalArgumentException("bad chunk sizes");
        this.size = size;
        this.overlap = overlap;
    }

    List<Chunk> chunks(List<TextExtractor.Section> sections) {
        List<Chunk> out = new ArrayList<>();
        for (TextExtractor.Section s : sections) {
            List<String> units = units(s.text());
            List<String> current = new ArrayList<>();
            int length = 0;
            for (String u : units) {
                if (length > 0 && length + 1 + u.length() > size) {
                    out.add(new Chunk(out.size(), s.heading(), String.join(" ", current), s.page()));
                    current = tail(current);
                    length = lengthOf(current);
                    // a tail that leaves no room for the next unit is dropped rather than cut mid-way
                    if (length + 1 + u.length() > size) {
                        current.clear();
                        length = 0;
                    }
                }
                current.add(u);
                length += (length == 0 ? 0 : 1) + u.length();
            }
            if (length > 0) out.add(new Chunk(out.size(), s.heading(), String.join(" ", current), s.page()));
        }
        return out;
    }

    /** The last units of a chunk whose joined length stays within the overlap. */
    private List<String> tail(List<String> units) {
        List<String> out = new ArrayList<>();
        int length = 0;
        for (int i = units.size() - 1; i >= 0; i--) {
            int l = units.get(i).length() + (out.isEmpty() ? 0 : 1);
            if (length + l > overlap) break;
            out.addFirst(units.get(i));
            length += l;
        }
        return out;
    }

    private static int lengthOf(List<String> units) {
        int n = 0;
        for (String u : units) n += u.length();
        return n + Math.max(0, units.size() - 1);
    }

    /** Sentences (and paragraphs), each at most {@code size} characters (longer ones cut at spaces, else hard). */
    private List<String> units(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean end = c == '\n'
                    || ((c == '.' || c == '?' || c == '!' || c == ';') && (i + 1 == n || Character.isWhitespace(text.charAt(i + 1))));
            if (end) {
                piece(text.substring(start, i + 1), out);
                start = i + 1;
            }
        }
        if (start < n) piece(text.substring(start), out);
        return out;
    }

    private void piece(String raw, List<String> out) {
        String s = raw.strip();
        while (s.length() > size) {
            int cut = s.lastIndexOf(' ', size);
            if (cut < size / 2) cut = Character.isHighSurrogate(s.charAt(size - 1)) ? size - 1 : size;
            out.add(s.substring(0, cut).strip());
            s = s.substring(cut).strip();
        }
        if (!s.isEmpty()) out.add(s);
    }
}
