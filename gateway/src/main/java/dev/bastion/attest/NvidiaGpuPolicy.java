package dev.bastion.attest;

import java.util.List;

/**
 * What GPU evidence must show beyond a valid signature, chain and nonce.
 *
 * @param references golden measurements (driver and VBIOS manifests; an index may appear in only one). Empty means
 *                   the measurements are not compared, which the operator has to choose explicitly.
 */
public record NvidiaGpuPolicy(List<GpuReferenceManifest> references, boolean compareMeasurements) {
    public NvidiaGpuPolicy {
        references = List.copyOf(references);
        if (compareMeasurements && references.isEmpty()) {
            throw new IllegalArgumentException("comparing GPU measurements needs at least one reference manifest");
        }
    }

    public static NvidiaGpuPolicy against(GpuReferenceManifest... manifests) {
        return new NvidiaGpuPolicy(List.of(manifests), true);
    }

    /** Signature, chain and nonce only. */
    public static NvidiaGpuPolicy identityOnly() { return new NvidiaGpuPolicy(List.of(), false); }
}
