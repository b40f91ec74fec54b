package dev.bastion.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A line diff (longest common subsequence) for the policy workbench: each line kept, added or removed. */
final class LineDiff {
    /** Beyond this many lines per side the diff is not computed (quadratic table). */
    static final int MAX_LINES = 4000;

    private LineDiff() {}

    /** {@code [{"op":" "|"+"|"-","line":n,"text":…}]} (line numbers in the new text for kept and added lines), or
     * one {@code "!"} entry when a side is too long. */
    static List<Map<String, Object>> diff(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        if (a.length > MAX_LINES || b.length > MAX_LINES) return List.of(Map.of("op", "!", "line", 0, "text", "too long to diff"));
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add(Map.of("op", " ", "line", j + 1, "text", b[j]));
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add(Map.of("op", "+", "line", j + 1, "text", b[j]));
                j++;
            } else {
                out.add(Map.of("op", "-", "line", 0, "text", a[i]));
                i++;
            }
        }
        return out;
    }
}
