package dev.bastion.attest;

/**
 * The security patch levels of an SEV-SNP platform (TCB_VERSION). {@code fmc} exists from Turin on and is 0 before.
 */
public record SnpTcb(int bootloader, int tee, int snp, int microcode, int fmc) {

    /** Decodes the 64-bit little-endian TCB_VERSION field for a product's layout. */
    static SnpTcb decode(long raw, AmdProduct product) {
        int[] b = new int[8];
        for (int i = 0; i < 8; i++) b[i] = (int) (raw >>> (8 * i)) & 0xff;
        if (product.turinTcbLayout()) return new SnpTcb(b[1], b[2], b[3], b[7], b[0]);
        return new SnpTcb(b[0], b[1], b[6], b[7], 0);
    }

    /** True when every component is at least the minimum's. */
    public boolean atLeast(SnpTcb min) {
        return bootloader >= min.bootloader && tee >= min.tee && snp >= min.snp && microcode >= min.microcode
                && fmc >= min.fmc;
    }

    @Override
    public String toString() {
        return "bl=" + bootloader + ",tee=" + tee + ",snp=" + snp + ",ucode=" + microcode + (fmc != 0 ? ",fmc=" + fmc : "");
    }
}
