package dev.bastion.audit.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note, parsed but not yet verified: the text (ending in a newline) and its signature lines
 * {@code — <name> base64(keyID ‖ signature)}. Use {@link NoteVerifier#open} to get text you may trust.
 */
public record Note(String text, List<Signature> signatures) {
    /** Notes larger than this are refused before parsing (a checkpoint is a few hundred bytes). */
    public static final int MAX_SIZE = 64 * 1024;
    /** More signatures than this are refused (the spec asks verifiers to accept at least 16). */
    public static final int MAX_SIGNATURES = 100;
    private static final String DASH = "\u2014 ";

    public Note {
        signatures = List.copyOf(signatures);
    }

    /** One signature line. {@code signature} excludes the 4-byte key ID. */
    public record Signature(String name, int keyId, byte[] signature) {}

    public static Note parse(byte[] bytes) throws TlogException {
        if (bytes.length > MAX_SIZE) throw TlogException.malformed("note is larger than " + MAX_SIZE + " bytes");
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw TlogException.malformed("note is not valid UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') throw TlogException.malformed("note contains a control character");
        }
        int split = s.lastIndexOf("\n\n");
        if (split < 0 || !s.endsWith("\n")) throw TlogException.malformed("note has no signature block");
        String text = s.substring(0, split + 1);
        String block = s.substring(split + 2);
        if (block.isEmpty()) throw TlogException.malformed("note has no signatures");
        List<Signature> sigs = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            if (sigs.size() == MAX_SIGNATURES) throw TlogException.malformed("note has too many signatures");
            sigs.add(parseLine(line));
        }
        return new Note(text, sigs);
    }

    private static Signature parseLine(String line) throws TlogException {
        if (!line.startsWith(DASH)) throw TlogException.malformed("malformed signature line");
        String rest = line.substring(DASH.length());
        int sp = rest.lastIndexOf(' ');
        if (sp <= 0) throw TlogException.malformed("malformed signature line");
        String name = rest.substring(0, sp);
        if (!isValidKeyName(name)) throw TlogException.malformed("invalid key name in signature line");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(rest.substring(sp + 1));
        } catch (IllegalArgumentException e) {
            throw TlogException.malformed("signature is not base64");
        }
        if (raw.length < 5) throw TlogException.malformed("signature is too short");
        int keyId = ByteBuffer.wrap(raw, 0, 4).getInt();
        return new Signature(name, keyId, java.util.Arrays.copyOfRange(raw, 4, raw.length));
    }

    /** Key names are non-empty and hold no Unicode spaces and no '+'. */
    public static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty()) return false;
        return name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c < 0x20);
    }

    /** The note in its wire form: text, blank line, one line per signature. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (Signature sig : signatures) {
            byte[] raw = ByteBuffer.allocate(4 + sig.signature().length).putInt(sig.keyId()).put(sig.signature())
                    .array();
            sb.append(DASH).append(sig.name()).append(' ').append(Base64.getEncoder().encodeToString(raw)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
