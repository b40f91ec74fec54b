package dev.bastion.attest;

import java.util.List;
import java.util.Set;

/**
 * What a TDX quote must show beyond valid signatures, chain and collateral. A TD in debug mode is always refused.
 *
 * @param acceptedTcbStatuses TCB Info / QE identity statuses accepted, e.g. {@code UpToDate}; Intel's others are
 *                            {@code SWHardeningNeeded}, {@code ConfigurationNeeded},
 *                            {@code ConfigurationAndSWHardeningNeeded}, {@code OutOfDate}, {@code Revoked}
 * @param mrTd                allowed MRTD values (the TD's initial contents)
 * @param rtmrs               allowed values of RTMR0..RTMR3 (four lists)
 */
public record TdxPolicy(Set<String> acceptedTcbStatuses, AllowList mrTd, List<AllowList> rtmrs) {
    public TdxPolicy {
        acceptedTcbStatuses = Set.copyOf(acceptedTcbStatuses);
        if (mrTd == null) throw new IllegalArgumentException("mrTd: use AllowList.ANY explicitly");
        rtmrs = List.copyOf(rtmrs);
        if (rtmrs.size() != 4) throw new IllegalArgumentException("rtmrs: four allow-lists (RTMR0..3)");
    }

    /** Up-to-date platforms only; any MRTD and RTMRs. */
    public static TdxPolicy upToDateAnyMeasurement() {
        return new TdxPolicy(Set.of("UpToDate"), AllowList.ANY, List.of(AllowList.ANY, AllowList.ANY, AllowList.ANY,
                AllowList.ANY));
    }
}
