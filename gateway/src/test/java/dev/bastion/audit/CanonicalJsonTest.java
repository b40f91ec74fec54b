package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8785 (JCS): the RFC's own examples and Appendix B number table, plus round-trip properties. */
class CanonicalJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static String jcs(String json) throws Exception {
        return new String(CanonicalJson.encode(JSON.readTree(json)), StandardCharsets.UTF_8);
    }

    @Test
    void rfcSampleCanonicalisesExactly() throws Exception {
        String in = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        assertThat(jcs(in)).isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
                + "1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void membersAreSortedByUtf16CodeUnits() throws Exception {
        String in = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        assertThat(JSON.readTree(jcs(in)).propertyStream().map(Map.Entry::getKey).toList())
                .containsExactly("\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33");
    }

    @Test
    void appendixBNumbersSerialiseExactly() {
        String[][] table = {
                {"0000000000000000", "0"}, {"8000000000000000", "0"}, {"0000000000000001", "5e-324"},
                {"8000000000000001", "-5e-324"}, {"7fefffffffffffff", "1.7976931348623157e+308"},
                {"ffefffffffffffff", "-1.7976931348623157e+308"}, {"4340000000000000", "9007199254740992"},
                {"c340000000000000", "-9007199254740992"}, {"4430000000000000", "295147905179352830000"},
                {"44b52d02c7e14af5", "9.999999999999997e+22"}, {"44b52d02c7e14af6", "1e+23"},
                {"44b52d02c7e14af7", "1.0000000000000001e+23"}, {"444b1ae4d6e2ef4e", "999999999999999700000"},
                {"444b1ae4d6e2ef4f", "999999999999999900000"}, {"444b1ae4d6e2ef50", "1e+21"},
                {"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"}, {"3eb0c6f7a0b5ed8d", "0.000001"},
                {"41b3de4355555553", "333333333.3333332"}, {"41b3de4355555554", "333333333.33333325"},
                {"41b3de4355555555", "333333333.3333333"}, {"41b3de4355555556", "333333333.3333334"},
                {"41b3de4355555557", "333333333.33333343"}, {"becbf647612f3696", "-0.0000033333333333333333"},
                {"43143ff3c1cb0959", "1424953923781206.2"}};
        for (String[] row : table) {
            double d = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(row[0]));
            assertThat(CanonicalJson.formatDouble(d)).as(row[0]).isEqualTo(row[1]);
        }
        for (String nonFinite : new String[] {"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"}) {
            double d = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(nonFinite));
            assertThatThrownBy(() -> CanonicalJson.formatDouble(d)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 2000)
    void everyFiniteDoubleRoundTripsThroughItsCanonicalForm(@ForAll double d) {
        if (!Double.isFinite(d)) return;
        String s = CanonicalJson.formatDouble(d);
        assertThat(Double.parseDouble(s)).isEqualTo(d == 0 ? 0.0 : d);
        // canonical form is a fixed point: formatting the parsed value gives the same text
        assertThat(CanonicalJson.formatDouble(Double.parseDouble(s))).isEqualTo(s);
    }

    @Property(tries = 500)
    void stringsRoundTripAndEscapeOnlyWhatTheRfcRequires(@ForAll String s) throws Exception {
        boolean valid = s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF);
        var node = JsonNodeFactory.instance.textNode(s);
        if (!valid) {
            assertThatThrownBy(() -> CanonicalJson.encode(node)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        String out = CanonicalJson.encodeToString(node);
        assertThat(JSON.readTree(out).textValue()).isEqualTo(s);
        assertThat(out).doesNotContain("\\/").doesNotContain("\\u00A").doesNotContain("\\u20");
    }

    @Test
    void inputWithoutACanonicalFormIsRefused() {
        var f = JsonNodeFactory.instance;
        assertThatThrownBy(() -> CanonicalJson.encode(f.numberNode((1L << 53) + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.encode(f.binaryNode(new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.encode(f.textNode("\ud800x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("x");
        assertThat(CanonicalJson.encodeToString(f.numberNode(1L << 53))).isEqualTo("9007199254740992");
        assertThatThrownBy(() -> CanonicalJson.encode(f.numberNode(-(1L << 53) - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.encode(f.numberNode(Long.MIN_VALUE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.encode(f.numberNode(java.math.BigInteger.ONE.shiftLeft(70))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.encodeToString(f.numberNode(-(1L << 53)))).isEqualTo("-9007199254740992");
    }

    @Test
    void canonicalFormIgnoresInputSpelling() throws Exception {
        JsonNode a = JSON.readTree("{ \"b\" : [1.0, 2e0, -0.0], \"a\" : {\"y\":1,\"x\":\"\\u0041\"} }");
        JsonNode b = JSON.readTree("{\"a\":{\"x\":\"A\",\"y\":1.00},\"b\":[1,2,0]}");
        assertThat(CanonicalJson.encode(a)).isEqualTo(CanonicalJson.encode(b));
        assertThat(jcs("{\"a\":{\"x\":\"A\",\"y\":1.00},\"b\":[1,2,0]}")).isEqualTo("{\"a\":{\"x\":\"A\",\"y\":1},\"b\":[1,2,0]}");
    }
}
