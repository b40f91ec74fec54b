package dev.bastion.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InspectConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String SHA = "ab".repeat(32);

    private static BastionConfig parse(String yaml) throws Exception {
        return ConfigLoader.parse(YAML.readTree(yaml), Map.of(), "test.yaml");
    }

    @Test
    void withoutAnInspectSectionTheBuiltInCascadeRunsAndToolResultsAreDelimited() throws Exception {
        InspectSettings s = parse("server:\n  port: 8080\n").inspect();
        assertThat(s).isEqualTo(InspectSettings.DEFAULTS);
        assertThat(s.injection().secondStage()).isEqualTo(InspectSettings.SecondStage.BUILTIN);
        assertThat(s.untrusted().spotlight()).isEqualTo(InspectSettings.Spotlight.DELIMIT);
        assertThat(s.ner()).isNull();
    }

    @Test
    void anOperatorModelAndNerAreReadWithTheirDigests() throws Exception {
        InspectSettings s = parse("""
                inspect:
                  injection:
                    second-stage: onnx
                    onnx: {model: /m/inj.onnx, model-sha256: %s, tokenizer: /m/tok.json, tokenizer-sha256: %s,
                           label: 0, refuse-at: 0.7, band-low: 0, band-high: 1}
                  untrusted: {spotlight: off, roles: [tool], quoted-email: false}
                  ner: {model: /m/ner.onnx, model-sha256: %s, tokenizer: /m/t.json, tokenizer-sha256: %s,
                        labels: [O, B-PER, I-PER], types: {PER: PERSON}}
                """.formatted(SHA, SHA, SHA, SHA)).inspect();
        assertThat(s.injection().onnx().model()).isEqualTo(Path.of("/m/inj.onnx"));
        assertThat(s.injection().label()).isZero();
        assertThat(s.injection().refuseAt()).isEqualTo(0.7);
        assertThat(s.injection().bandLow()).isZero();
        assertThat(s.untrusted().spotlight()).isEqualTo(InspectSettings.Spotlight.OFF); // YAML's off is false
        assertThat(s.untrusted().roles()).containsExactly("tool");
        assertThat(s.untrusted().quotedEmail()).isFalse();
        assertThat(s.ner().labels()).containsExactly("O", "B-PER", "I-PER");
        assertThat(s.ner().types()).isEqualTo(Map.of("PER", "PERSON"));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("""
                inspect:
                  injection:
                    second-stage: onnx
                    onnx: {model: /m/inj.onnx, model-sha256: nothex, tokenizer: /m/tok.json, refuse-at: 2}
                  untrusted: {spotlight: loud}
                  ner: {model: /m/ner.onnx}
                """)).isInstanceOf(ConfigException.class).message().contains(
                "inspect.injection.onnx.model-sha256: must be a SHA-256",
                "inspect.injection.onnx.tokenizer-sha256: is required",
                "inspect.injection.onnx.refuse-at: must be between",
                "inspect.untrusted.spotlight: must be one of",
                "inspect.ner.labels: is required");
        assertThatThrownBy(() -> parse("inspect:\n  injection:\n    onnx: {model: /x}\n"))
                .isInstanceOf(ConfigException.class).message().contains("inspect.injection.onnx: is only read with second-stage: onnx");
        assertThat(List.of()).isEmpty();
    }
}
