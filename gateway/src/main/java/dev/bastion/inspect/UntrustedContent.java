package dev.bastion.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which request text is data the application did not write and the model must not obey: whole messages of the
 * untrusted roles (tool and function results by default), and inside any other message the spans of retrieved
 * documents ({@code <document>…</document>} and the other configured tags) and of quoted e-mails (lines quoted with
 * {@code >}, and everything after an "-----Original Message-----", a "From: … Subject:" header block or an
 * "On … wrote:" line, in EN/DE/FR/ES). Such text is scored for injection on its own and refused at the stricter
 * threshold; the transform stage can also mark it ({@link Spotlighter}). One linear pass over the lines.
 *
 * @param roles chat roles whose whole content is untrusted
 * @param tags  element names whose content is a retrieved document (matched case-insensitively)
 * @param quotes whether quoted e-mail is looked for inside messages
 */
public record UntrustedContent(Set<String> roles, List<String> tags, boolean quotes) {

    public static final UntrustedContent DEFAULT = new UntrustedContent(Set.of("tool", "function"),
            List.of("document", "documents", "doc", "context", "search_results", "retrieved", "source", "email"), true);

    public UntrustedContent {
        roles = Set.copyOf(roles);
        tags = tags.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    }

    boolean untrustedRole(String role) {
        return roles.contains(role);
    }

    /** Untrusted spans of one text of a trusted role, as [start, end) pairs, ordered and not overlapping. */
    List<int[]> spans(String text) {
        List<int[]> out = new ArrayList<>();
        tagged(text, out);
        if (quotes) quoted(text, out);
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>(out.size());
        for (int[] s : out) {
            if (!merged.isEmpty() && s[0] <= merged.getLast()[1]) merged.getLast()[1] = Math.max(merged.getLast()[1], s[1]);
            else merged.add(s);
        }
        return merged;
    }

    private void tagged(String text, List<int[]> out) {
        if (tags.isEmpty() || text.indexOf('<') < 0) return;
        String lower = text.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int lt = lower.indexOf('<', from);
            if (lt < 0 || lt + 1 >= lower.length()) return;
            String tag = tagAt(lower, lt + 1);
            if (tag == null) {
                from = lt + 1;
                continue;
            }
            int open = lower.indexOf('>', lt);
            if (open < 0) return;
            int close = lower.indexOf("</" + tag, open + 1);
            int end = close < 0 ? text.length() : close;
            if (end > open + 1) out.add(new int[]{open + 1, end});
            if (close < 0) return;
            from = close + 2 + tag.length();
        }
    }

    private String tagAt(String lower, int i) {
        for (String t : tags) {
            if (lower.startsWith(t, i)) {
                int after = i + t.length();
                if (after < lower.length() && (lower.charAt(after) == '>' || lower.charAt(after) == ' '
                        || lower.charAt(after) == '\n')) return t;
            }
        }
        return null;
    }

    /** Quoted lines, and everything after a reply or forward header. */
    private static void quoted(String text, List<int[]> out) {
        int quoteStart = -1, quoteEnd = -1;
        int lineStart = 0;
        int headerAt = -1, headerLines = 0;
        boolean headerHasSubject = false;
        while (lineStart <= text.length()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? text.length() : nl;
            int p = lineStart;
            while (p < lineEnd && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) p++;
            if (p < lineEnd && text.charAt(p) == '>') {
                if (quoteStart < 0) quoteStart = lineStart;
                quoteEnd = lineEnd;
            } else if (quoteStart >= 0 && p < lineEnd) {
                out.add(new int[]{quoteStart, quoteEnd});
                quoteStart = -1;
            }
            String line = text.substring(p, lineEnd).strip().toLowerCase(Locale.ROOT);
            if (replyHeader(line)) {
                out.add(new int[]{lineStart, text.length()});
                return;
            }
            if (line.startsWith("from:") || line.startsWith("von:") || line.startsWith("de:") || line.startsWith("de :")) {
                headerAt = lineStart;
                headerLines = 0;
                headerHasSubject = false;
            } else if (headerAt >= 0) {
                headerLines++;
                if (line.startsWith("subject:") || line.startsWith("betreff:") || line.startsWith("objet")
                        || line.startsWith("asunto:")) headerHasSubject = true;
                if (headerHasSubject) {
                    out.add(new int[]{headerAt, text.length()});
                    return;
                }
                if (headerLines > 4) headerAt = -1;
            }
            if (nl < 0) break;
            lineStart = nl + 1;
        }
        if (quoteStart >= 0) out.add(new int[]{quoteStart, quoteEnd});
    }

    private static boolean replyHeader(String line) {
        if (line.contains("original message") || line.contains("forwarded message") || line.startsWith("begin forwarded message")
                || line.contains("ursprüngliche nachricht") || line.contains("message d'origine")
                || line.contains("mensaje original")) {
            return line.startsWith("-") || line.startsWith("begin") || line.startsWith("---");
        }
        if (line.length() > 200) return false;
        return line.startsWith("on ") && line.endsWith("wrote:")
                || line.startsWith("am ") && line.contains("schrieb") && line.endsWith(":")
                || line.startsWith("le ") && (line.endsWith("a écrit :") || line.endsWith("a écrit:"))
                || line.startsWith("el ") && line.contains("escribió") && line.endsWith(":");
    }
}
