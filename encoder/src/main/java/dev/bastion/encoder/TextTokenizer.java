package dev.bastion.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (any model family: WordPiece, BPE, Unigram) through DJL's tokenizers
 * binding, loaded from bytes (never by model name, which would reach for a hub). Texts are cut to a bounded number
 * of chars before tokenizing, so the cost stays bounded on any input; a sequence longer than {@code maxTokens} keeps
 * its head and its tail (injections are often appended after an ordinary request).
 */
final class TextTokenizer implements AutoCloseable {
    /** chars read from the start and from the end of a long text; enough for 512 tokens of prose */
    static final int HEAD_CHARS = 3000;
    static final int TAIL_CHARS = 1000;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final int tailTokens;

    TextTokenizer(byte[] tokenizerJson, int maxTokens, int tailTokens) {
        if (maxTokens < 4 || tailTokens < 0 || tailTokens >= maxTokens) throw new IllegalArgumentException("token limits");
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                    Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("tokenizer.json could not be loaded", e);
        }
        this.maxTokens = maxTokens;
        this.tailTokens = tailTokens;
    }

    /** Token ids and their UTF-16 char spans in {@code text} (-1 for special tokens). */
    record Tokens(long[] ids, int[] starts, int[] ends) {
        int length() { return ids.length; }
    }

    /** Head and tail of {@code text} within the token limit (char spans not needed). */
    long[] ids(String text) {
        String cut = text;
        if (text.length() > HEAD_CHARS + TAIL_CHARS) {
            cut = text.substring(0, HEAD_CHARS) + " … " + text.substring(text.length() - TAIL_CHARS);
        }
        long[] ids = tokenizer.encode(cut).getIds();
        if (ids.length <= maxTokens) return ids;
        long[] out = Arrays.copyOf(ids, maxTokens);
        System.arraycopy(ids, ids.length - tailTokens, out, maxTokens - tailTokens, tailTokens);
        return out;
    }

    /**
     * Tokens of one window of {@code text} (at most {@code maxTokens}), with char spans relative to {@code text}.
     * Callers slide windows over long texts themselves.
     */
    Tokens window(String text, int from, int to) {
        String part = text.substring(from, to);
        Encoding e = tokenizer.encode(part);
        // the binding reports offsets in code points; findings use UTF-16 chars
        int[] charAt = new int[part.codePointCount(0, part.length()) + 1];
        for (int i = 0, cp = 0; i < part.length(); cp++) {
            charAt[cp] = i;
            i += Character.charCount(part.codePointAt(i));
        }
        charAt[charAt.length - 1] = part.length();
        long[] ids = e.getIds();
        CharSpan[] spans = e.getCharTokenSpans();
        int n = Math.min(ids.length, maxTokens);
        int[] starts = new int[n];
        int[] ends = new int[n];
        long[] special = e.getSpecialTokenMask();
        for (int i = 0; i < n; i++) {
            CharSpan s = spans[i];
            if (special[i] != 0 || s == null) {
                starts[i] = -1;
                ends[i] = -1;
            } else {
                starts[i] = from + charAt[Math.min(s.getStart(), charAt.length - 1)];
                ends[i] = from + charAt[Math.min(s.getEnd(), charAt.length - 1)];
            }
        }
        return new Tokens(n == ids.length ? ids : Arrays.copyOf(ids, n), starts, ends);
    }

    int maxTokens() { return maxTokens; }

    @Override
    public void close() {
        tokenizer.close();
    }
}
