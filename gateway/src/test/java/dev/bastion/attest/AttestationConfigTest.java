package dev.bastion.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A backend's attestation block, as an operator writes it in bastion.yaml. */
class AttestationConfigTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static AttestationSettings parse(String yaml) throws Exception {
        return AttestationConfig.parse(YAML.readTree(yaml), Vectors.at("2024-06-01T00:00:00Z"));
    }

    @Test
    void eachTypeReadsItsPolicy() throws Exception {
        var snp = parse("""
                type: sev-snp
                evidence-url: https://cvm-1.internal:8443/attestation
                max-age: 30m
                measurements: [%s]
                min-tcb: {bootloader: 3, snp: 8, microcode: 115}
                allow-smt: false
                """.formatted("ab".repeat(48)));
        assertThat(snp.maxAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(snp.snp().minimumTcb()).isEqualTo(new SnpTcb(3, 0, 8, 115, 0));
        assertThat(snp.snp().allowSmt()).isFalse();
        var tdx = parse("""
                type: tdx
                evidence-url: https://td-1.internal/attestation
                measurements: any
                rtmrs: [any, any, [%s], any]
                tcb-statuses: [UpToDate, SWHardeningNeeded]
                """.formatted("cd".repeat(48)));
        assertThat(tdx.tdx().acceptedTcbStatuses()).containsExactlyInAnyOrder("UpToDate", "SWHardeningNeeded");
        assertThat(tdx.tdx().rtmrs().get(2).any()).isFalse();
        var gpu = parse("""
                type: nvidia-cc
                evidence-url: https://gpu-1.internal/attestation
                measurements: any
                reference-manifests: ["%s"]
                """.formatted(Vectors.dir("nvidia-gpu/sample_vbios_rim_1010_0200_882_96005E0001_PROD.swidtag")));
        assertThat(gpu.gpu().references()).hasSize(1);
        var token = parse("""
                type: token
                evidence-url: https://cvm-2.internal/attestation
                measurements: any
                verifier: {service: intel-trust-authority, issuer: "https://portal.trustauthority.intel.com",
                           jwks-url: "https://portal.trustauthority.intel.com/certs"}
                """);
        assertThat(token.token().algorithms()).containsExactly("PS384");
    }

    @Test
    void mistakesNameTheirKey() {
        assertThatThrownBy(() -> parse("{type: sgx, evidence-url: 'https://x/a', measurements: any}"))
                .hasMessageContaining("attestation.type");
        assertThatThrownBy(() -> parse("{type: sev-snp, evidence-url: 'http://x/a', measurements: any}"))
                .hasMessageContaining("evidence-url must be https");
        assertThatThrownBy(() -> parse("{type: sev-snp, evidence-url: 'https://x/a'}"))
                .hasMessageContaining("attestation.measurements is required");
        assertThatThrownBy(() -> parse("{type: nvidia-cc, evidence-url: 'https://x/a', measurements: any}"))
                .hasMessageContaining("reference: none");
    }
}
