package dev.bastion.attest;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * AMD EPYC generations that issue SEV-SNP reports: which bundled root (ARK) and intermediates (ASK for VCEKs,
 * ASVK for VLEKs) belong to each, and how its 64-bit TCB_VERSION is laid out.
 */
enum AmdProduct {
    MILAN("Milan", false),
    GENOA("Genoa", false),
    TURIN("Turin", true);

    private final String name;
    /** Turin moved the TCB fields and added the FMC SPL. */
    private final boolean turinTcbLayout;

    AmdProduct(String name, boolean turinTcbLayout) {
        this.name = name;
        this.turinTcbLayout = turinTcbLayout;
    }

    String productName() { return name; }

    boolean turinTcbLayout() { return turinTcbLayout; }

    /** Bundled ASK + ARK (VCEK chain) or ASVK + ARK (VLEK chain), intermediate first. */
    List<X509Certificate> bundledChain(boolean vlek) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return Certificates.resource("roots/amd-" + lower + (vlek ? "-vlek" : "") + ".pem");
    }

    X509Certificate bundledArk() { return bundledChain(false).getLast(); }

    /** The product whose root has this subject common name ({@code ARK-Milan}), or null. */
    static AmdProduct ofArk(X509Certificate ark) {
        String cn = Certificates.commonName(ark);
        for (AmdProduct p : values()) if (cn.equals("ARK-" + p.name)) return p;
        return null;
    }

    /** From the CPUID family/model a version 3+ report carries; null when unknown. */
    static AmdProduct ofCpuid(int family, int model) {
        if (family == 0x19 && model <= 0x0f) return MILAN;
        if (family == 0x19 && (model >= 0x10 && model <= 0x1f || model >= 0xa0 && model <= 0xaf)) return GENOA;
        if (family == 0x1a && model <= 0x11) return TURIN;
        return null;
    }
}
