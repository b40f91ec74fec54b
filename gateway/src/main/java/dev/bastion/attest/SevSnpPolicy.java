package dev.bastion.attest;

/**
 * What an SEV-SNP report must show beyond a valid signature and chain. A guest with DEBUG set is always refused:
 * the host can read its memory, so no policy may allow it.
 *
 * @param minimumTcb          every reported TCB component must reach this; null = no minimum
 * @param measurements        allowed launch measurements (MEASUREMENT, 48 bytes hex)
 * @param allowMigrationAgent whether a migration agent may be associated (policy bit MIGRATE_MA)
 * @param allowSmt            whether simultaneous multithreading may be enabled on the host
 * @param maxVmpl             the highest VMPL the report may come from (0 = only the most privileged level)
 * @param allowVlek           whether reports signed by a VLEK (cloud-provider key) are accepted besides VCEK
 */
public record SevSnpPolicy(SnpTcb minimumTcb, AllowList measurements, boolean allowMigrationAgent, boolean allowSmt,
                           int maxVmpl, boolean allowVlek) {
    public SevSnpPolicy {
        if (measurements == null) throw new IllegalArgumentException("measurements: use AllowList.ANY explicitly");
        if (maxVmpl < 0 || maxVmpl > 3) throw new IllegalArgumentException("maxVmpl must be 0..3");
    }

    /** Any measurement, any TCB, SMT allowed, any VMPL, VCEK or VLEK; no migration agent. For tests and parsing. */
    public static SevSnpPolicy permissive() {
        return new SevSnpPolicy(null, AllowList.ANY, false, true, 3, true);
    }
}
