package dev.bastion.backend;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Model lists as servers send them become name → identities; anything else is "could not tell" (null), never a throw. */
class ReportedIdentitiesTest {

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void anOpenAiStyleListGivesEachModelsRootRevisionAndDigest() {
        var m = ReportedIdentities.parse(b("""
                {"object":"list","data":[
                  {"id":"llama-3.1-8b","object":"model","owned_by":"vllm","root":"/models/Llama-3.1-8B@5206a32e","parent":null},
                  {"id":"qwen","object":"model","revision":"A1B2","digest":"sha256:ABCDEF"},
                  {"object":"model","root":"nameless"}]}"""), "data", "id", ReportedIdentities.OPENAI_FIELDS);
        assertThat(m).containsOnlyKeys("llama-3.1-8b", "qwen");
        assertThat(m.get("llama-3.1-8b")).containsExactly("/models/llama-3.1-8b@5206a32e");
        assertThat(m.get("qwen")).containsExactlyInAnyOrder("a1b2", "abcdef");
    }

    @Test
    void anOllamaTagListGivesEachModelsDigest() {
        var m = ReportedIdentities.parse(b("""
                {"models":[{"name":"llama3:8b","model":"llama3:8b","digest":"365c0bd3c000a25d28ddbf732fe1c6add414de7275464c4e4d1c3b5fcb5d8ad1"}]}"""),
                "models", "name", ReportedIdentities.OLLAMA_FIELDS);
        assertThat(m.get("llama3:8b")).isEqualTo(Set.of("365c0bd3c000a25d28ddbf732fe1c6add414de7275464c4e4d1c3b5fcb5d8ad1"));
        assertThat(ReportedIdentities.normalise("sha256:365C0BD3C000A25D28DDBF732FE1C6ADD414DE7275464C4E4D1C3B5FCB5D8AD1"))
                .isIn(m.get("llama3:8b"));
    }

    @Test
    void whatIsNotAModelListIsUnknownNotAnError() {
        for (String body : new String[]{"", "not json", "{\"data\":{}}", "[1,2]", "{\"data\":\"x\"}", "{", "\u0000"}) {
            assertThat(ReportedIdentities.parse(b(body), "data", "id", ReportedIdentities.OPENAI_FIELDS)).as(body).isNull();
        }
        // identities that are not strings are not identities
        var m = ReportedIdentities.parse(b("{\"data\":[{\"id\":\"x\",\"root\":7,\"revision\":{\"a\":1}}]}"), "data", "id",
                ReportedIdentities.OPENAI_FIELDS);
        assertThat(m.get("x")).isEmpty();
    }
}
