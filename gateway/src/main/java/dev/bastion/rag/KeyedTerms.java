package dev.bastion.rag;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The text analysis of the keyword (BM25) half of the index: standard tokenisation, lower case, English possessives,
 * stop words and Porter stems — and then every term replaced by a keyed hash (HMAC-SHA-256 under a server secret
 * held behind the barrier, cut to 72 bits, base64url). The index therefore holds no word of any document, only
 * opaque terms with their statistics (see docs/rag.md "What the index reveals"); the same analysis of a question
 * yields the same hashes, so BM25 ranks exactly as it would on the words.
 */
final class KeyedTerms extends Analyzer {
    private static final int HASH_BYTES = 9;

    private final Supplier<SecretKeySpec> key;

    /** @param keySource the 32-byte term key, read once when first needed */
    KeyedTerms(Supplier<byte[]> keySource) {
        this.key = new Supplier<>() {
            private volatile SecretKeySpec k;

            @Override
            public SecretKeySpec get() {
                SecretKeySpec v = k;
                if (v == null) {
                    byte[] raw = keySource.get();
                    k = v = new SecretKeySpec(raw, "HmacSHA256");
                    java.util.Arrays.fill(raw, (byte) 0);
                }
                return v;
            }
        };
    }

    @Override
    protected TokenStreamComponents createComponents(String field) {
        StandardTokenizer source = new StandardTokenizer();
        source.setMaxTokenLength(64);
        TokenStream s = new EnglishPossessiveFilter(source);
        s = new LowerCaseFilter(s);
        s = new StopFilter(s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        s = new PorterStemFilter(s);
        return new TokenStreamComponents(source, new HashFilter(s, mac(key.get())));
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Replaces each term by its keyed hash; one per analysis chain, which Lucene keeps per thread. */
    private static final class HashFilter extends TokenFilter {
        private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final Mac mac;

        HashFilter(TokenStream in, Mac mac) {
            super(in);
            this.mac = mac;
        }

        @Override
        public boolean incrementToken() throws java.io.IOException {
            if (!input.incrementToken()) return false;
            byte[] word = term.toString().getBytes(StandardCharsets.UTF_8);
            byte[] h = mac.doFinal(word);
            byte[] cut = java.util.Arrays.copyOf(h, HASH_BYTES);
            term.setEmpty().append(B64.encodeToString(cut));
            return true;
        }
    }
}
