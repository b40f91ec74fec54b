package dev.bastion.inspect;

/**
 * The word features of the injection model, gathered while {@link InjectionFeatures} normalises the text rather
 * than in a pass of their own: one hashed bucket per run of letters and digits of the normalised text (runs over
 * {@value #MAX_LENGTH} chars are skipped), for its first {@value #MAX_WORDS} words. Unigrams only: bigrams added
 * nothing in grouped cross-validation on deepset train.
 */
final class WordBuckets {
    static final int MAX_WORDS = 4000;
    static final int MAX_LENGTH = 30;
    private static final int SEED = 0x9747b28c;

    private final InjectionFeatures.IntSet out;
    private int hash;
    private int length;
    private int words;

    WordBuckets(InjectionFeatures.IntSet out) {
        this.out = out;
    }

    /** The next char of the normalised text. */
    void accept(char c) {
        if (Chars.isLetterOrDigit(c)) {
            hash = ((length == 0 ? SEED : hash) ^ c) * 0x01000193;
            length++;
        } else if (length > 0) {
            endWord();
        }
    }

    /** The normalised text has ended. */
    void finish() {
        if (length > 0) endWord();
    }

    private void endWord() {
        if (words < MAX_WORDS && length <= MAX_LENGTH) {
            out.add(InjectionFeatures.bucket(hash));
            words++;
        }
        length = 0;
    }
}
