package dev.bastion.rag;

import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.PseudonymVault;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pseudonyms of one document while it is ingested: the same value gets the same pseudonym in every chunk of the
 * document. Pseudonyms are {@code {{PERSON_1:3fa2c1}}} — numbered per type, tagged with the start of the document
 * id — so they can never be taken for the {@code <PERSON_1>} pseudonyms of a chat conversation (whose answers
 * Bastion may re-identify). The originals are kept sealed apart from the chunks ({@link #originals()}, stored at
 * {@code rag/pseudonyms/DOC}) and leave with the document. One ingestion, one thread.
 */
final class DocumentPseudonyms implements PseudonymVault {
    private final String tag;
    private final Map<String, String> byValue = new HashMap<>();
    private final Map<String, String> originals = new LinkedHashMap<>();
    private final Map<EntityType, Integer> numbers = new EnumMap<>(EntityType.class);

    DocumentPseudonyms(String docId) {
        this.tag = docId.substring(1, 7);
    }

    @Override
    public String tokenFor(String conversation, EntityType type, String value) {
        String key = type.name() + '\u0000' + value;
        String t = byValue.get(key);
        if (t == null) {
            int n = numbers.merge(type, 1, Integer::sum);
            t = "{{" + type.name() + "_" + n + ":" + tag + "}}";
            byValue.put(key, t);
            originals.put(t, value);
        }
        return t;
    }

    @Override
    public String originalFor(String conversation, String token) { return originals.get(token); }

    @Override
    public int purgeExpired() { return 0; }

    /** Pseudonym → original, in the order they were made. */
    Map<String, String> originals() { return Map.copyOf(originals); }

    @Override
    public String toString() { return "DocumentPseudonyms[<redacted>]"; }
}
