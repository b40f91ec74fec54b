package dev.bastion.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.testing.TestExchanges;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransformStageFilterTest {
    private static final Inspector INSPECTOR = Inspector.standard();
    private final TransformStage stage = new TransformStage(new RequestGuard(INSPECTOR, 0.5), INSPECTOR,
            new RequestGuardTest.MemoryVault(), e -> { throw new AssertionError("only the response side runs here"); }, 128);

    private static Exchange exchange(InspectionObligations ob) {
        var json = new ObjectMapper().createObjectNode().put("model", "m");
        Exchange e = TestExchanges.exchange("r1", Instant.parse("2026-01-01T00:00:00Z"), 0, "127.0.0.1:1", Map.of(),
                new RequestContext(null, List.of(), null, null), new ModelRequest(Operation.CHAT, new byte[0], json, "m", true));
        e.put(Transformed.class, new Transformed(ob, null, false));
        return e;
    }

    private static InspectionObligations obligations(Set<EntityType> outputMask, boolean reidentify) {
        return new InspectionObligations(Map.of(), Action.ALLOW, outputMask, reidentify,
                InspectionObligations.InjectionAction.FLAG, 0.5, 0.8, 0.5);
    }

    @Test
    void anAnswerIsFilteredOnlyWhenSomethingInItCouldBeRewritten() {
        // nothing masked, nothing restored: no filter, so a stream's first text is not held back by the window
        assertThat(stage.responseFilter(exchange(obligations(Set.of(), false)))).isNull();
        assertThat(stage.responseFilter(exchange(obligations(Set.of(), true)))).as("no pseudonym session").isNull();
        // a type to mask in answers keeps the filter, and it masks
        ResponseFilter filter = stage.responseFilter(exchange(obligations(Set.of(EntityType.EMAIL_ADDRESS), false)));
        assertThat(filter).isNotNull();
        assertThat(filter.onText(0, "write to ann@example.org today") + filter.flush(0))
                .isEqualTo("write to [EMAIL_ADDRESS] today");
    }
}
