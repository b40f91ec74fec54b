package dev.bastion.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging obligations is order-independent, so rule order in a file never weakens what applies. */
class ObligationsTest {

    @Property
    void mergeIsCommutative(@ForAll("obligations") Obligations a, @ForAll("obligations") Obligations b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property
    void mergeIsAssociative(@ForAll("obligations") Obligations a, @ForAll("obligations") Obligations b,
                            @ForAll("obligations") Obligations c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void noneIsTheIdentityAndMergeNeverWeakens(@ForAll("obligations") Obligations a, @ForAll("obligations") Obligations b) {
        assertThat(a.merge(Obligations.NONE)).isEqualTo(a);
        var m = a.merge(b);
        a.entities().forEach((type, action) -> assertThat(m.entities().get(type)).isGreaterThanOrEqualTo(action));
        if (a.maxTokens() > 0) assertThat(m.maxTokens()).isBetween(1, a.maxTokens());
        if (a.allowedRegions() != null) assertThat(a.allowedRegions()).containsAll(m.allowedRegions());
        assertThat(m.injection()).isGreaterThanOrEqualTo(a.injection());
        if (m.reidentifyAllowed()) assertThat(a.reidentify()).isNotEqualTo(Obligations.Reidentify.DENY);
    }

    @Provide
    Arbitrary<Obligations> obligations() {
        var entities = Arbitraries.maps(Arbitraries.of("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "SECRET"),
                Arbitraries.of(EntityAction.class)).ofMaxSize(4);
        var regions = Arbitraries.of("eu-west", "eu-north", "us-east").set().ofMaxSize(3).injectNull(0.4);
        var cap = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 5000));
        return Combinators.combine(entities, regions, cap, Arbitraries.of(Obligations.Reidentify.class),
                        Arbitraries.of(Obligations.Injection.class))
                .as((Map<String, EntityAction> e, java.util.Set<String> r, Integer m, Obligations.Reidentify re,
                     Obligations.Injection i) -> new Obligations(e, r, m, re, i));
    }
}
