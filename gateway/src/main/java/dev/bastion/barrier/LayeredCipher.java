package dev.bastion.barrier;


import java.util.Arrays;
import java.util.List;

/**
 * Encrypts a value that belongs to several data subjects at once, so that erasing any one of them makes it
 * unreadable: one AEAD layer per subject key, innermost first. Each subject layer's plaintext starts with a marker
 * byte — {@code 0} the value follows, {@code 1} another subject layer follows — so decryption peels exactly the
 * layers that were put on. With no subjects it is the plain barrier (keyring) encryption, and values written that
 * way (before subjects were known) still decrypt.
 */
final class LayeredCipher implements RecordCipher {
    private static final int MAX_LAYERS = 64;
    private final RecordCipher base;
    private final List<RecordCipher> subjects;

    LayeredCipher(RecordCipher base, List<RecordCipher> subjects) {
        this.base = base;
        this.subjects = List.copyOf(subjects);
    }

    @Override
    public byte[] encrypt(String path, byte[] plaintext) {
        if (subjects.isEmpty()) return base.encrypt(path, plaintext);
        byte[] layer = marked((byte) 0, plaintext);
        for (int i = 0; i < subjects.size(); i++) {
            byte[] sealed = subjects.get(i).encrypt(path, layer);
            Arrays.fill(layer, (byte) 0);
            layer = i == subjects.size() - 1 ? sealed : marked((byte) 1, sealed);
        }
        return layer;
    }

    @Override
    public byte[] decrypt(String path, byte[] ciphertext) {
        if (Barrier.keyIdOf(ciphertext) >= 0) return base.decrypt(path, ciphertext);
        byte[] current = ciphertext;
        for (int depth = 0; depth < MAX_LAYERS; depth++) {
            byte[] opened = base.decrypt(path, current);
            if (opened.length == 0 || opened[0] > 1) {
                throw new BarrierException(BarrierException.Kind.TAMPERED, "subject layer without a marker");
            }
            byte[] rest = Arrays.copyOfRange(opened, 1, opened.length);
            if (opened[0] == 0) return rest;
            if (Barrier.keyIdOf(rest) >= 0) {
                throw new BarrierException(BarrierException.Kind.TAMPERED, "subject layer wraps a keyring value");
            }
            current = rest;
        }
        throw new BarrierException(BarrierException.Kind.TAMPERED, "too many subject layers");
    }

    private static byte[] marked(byte marker, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = marker;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    @Override
    public String toString() { return "LayeredCipher[" + subjects.size() + " subjects]"; }
}
