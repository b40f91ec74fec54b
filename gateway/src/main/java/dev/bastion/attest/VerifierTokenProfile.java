package dev.bastion.attest;

import java.util.Locale;
import java.util.Map;

/**
 * Where an attestation service puts the facts Bastion needs in its result token (dot paths into the claims).
 * The defaults follow the services' published claim names; a deployment whose service version names them
 * differently overrides them in configuration ({@code self-hosted} has no defaults).
 *
 * @param teeClaim         the evidence type (its values are mapped through {@code teeValues})
 * @param measurementClaim the launch measurement, hex
 * @param reportDataClaim  the REPORT_DATA / user data the guest bound into its evidence, hex or base64
 * @param debugClaim       a boolean claim that is true when the guest is debuggable, or null when the service
 *                         refuses such guests itself
 * @param tcbStatusClaim   the platform TCB status, or null when the service does not report one
 */
public record VerifierTokenProfile(String service, String teeClaim, Map<String, Tee> teeValues,
                                   String measurementClaim, String reportDataClaim, String debugClaim,
                                   String tcbStatusClaim) {
    public VerifierTokenProfile {
        teeValues = Map.copyOf(teeValues);
        if (teeClaim == null || measurementClaim == null || reportDataClaim == null) {
            throw new IllegalArgumentException(service + ": the tee, measurement and report-data claims are required");
        }
    }

    /** Microsoft Azure Attestation, confidential VM (SEV-SNP) results. */
    public static VerifierTokenProfile azureMaa() {
        return new VerifierTokenProfile("azure-maa", "x-ms-attestation-type",
                Map.of("sevsnpvm", Tee.SEV_SNP, "tdxvm", Tee.TDX), "x-ms-sevsnpvm-launchmeasurement",
                "x-ms-sevsnpvm-reportdata", "x-ms-sevsnpvm-is-debuggable", null);
    }

    /** Intel Trust Authority TDX results. */
    public static VerifierTokenProfile intelTrustAuthority() {
        return new VerifierTokenProfile("intel-trust-authority", "attester_type", Map.of("TDX", Tee.TDX,
                "SEVSNP", Tee.SEV_SNP), "tdx_mrtd", "tdx_report_data", "tdx_is_debuggable", "attester_tcb_status");
    }

    public static VerifierTokenProfile named(String service) {
        return switch (service.toLowerCase(Locale.ROOT)) {
            case "azure-maa" -> azureMaa();
            case "intel-trust-authority" -> intelTrustAuthority();
            default -> throw new IllegalArgumentException("unknown attestation service '" + service
                    + "' (azure-maa, intel-trust-authority, or self-hosted with explicit claims)");
        };
    }
}
