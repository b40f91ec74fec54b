package dev.bastion.telemetry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** W3C trace context: what is accepted, what is ignored, and that what Bastion sends reads back the same. */
class TraceParentTest {

    @Test
    void aValidHeaderIsReadAndWrittenBackTheSame() {
        String h = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        TraceParent p = TraceParent.parse(h);
        assertThat(p).isNotNull();
        assertThat(p.sampled()).isTrue();
        assertThat(TraceParent.format(p.traceHi(), p.traceLo(), p.spanId(), p.sampled())).isEqualTo(h);
        assertThat(TraceParent.parse("00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-00"))
                .isEqualTo(new TraceParent(-1, -1, -1, false));
    }

    @Test
    void aLaterVersionIsReadByItsFirstFourFields() {
        assertThat(TraceParent.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-follows"))
                .isEqualTo(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",              // no flags
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",           // uppercase
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",           // zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",           // zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // forbidden version
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",     // version 00 has exactly four fields
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01extra",      // later version: '-' must follow
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",           // not hex
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x"})
    void aMalformedHeaderIsIgnored(String header) {
        assertThat(TraceParent.parse(header)).isNull();
    }
}
