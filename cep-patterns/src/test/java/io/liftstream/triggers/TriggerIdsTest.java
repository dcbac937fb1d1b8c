package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30M;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.UUID;

/** Trigger ids are deterministic name-based UUIDs; a record's detection time is never before its event time. */
class TriggerIdsTest {
    private static final String ANCHOR = productAdded(ALICE, T0, "p1", 1.0, 1).messageId;

    @Test
    void theIdIsAGoldenVersion3UuidOfUserTypeAndAnchor() {
        String id = TriggerIds.of(ALICE, TriggerType.CART_ABANDONED, ANCHOR);

        assertThat(ANCHOR).isEqualTo("m-alice-product_added-0");
        assertThat(id).isEqualTo("40b0490e-a3b6-374f-8a6e-464d5b4d25f4");
        assertThat(UUID.fromString(id).version()).isEqualTo(3);
    }

    @Test
    void theSameInputsGiveTheSameIdAndAnyDifferenceAnotherOne() {
        String id = TriggerIds.of(ALICE, TriggerType.CART_ABANDONED, ANCHOR);

        assertThat(TriggerIds.of(ALICE, TriggerType.CART_ABANDONED, ANCHOR)).isEqualTo(id);
        assertThat(TriggerIds.of(BOB, TriggerType.CART_ABANDONED, ANCHOR)).isNotEqualTo(id);
        assertThat(TriggerIds.of(ALICE, TriggerType.BROWSE_ABANDONED, ANCHOR)).isNotEqualTo(id);
        assertThat(TriggerIds.of(ALICE, TriggerType.CART_ABANDONED, ANCHOR + "x")).isNotEqualTo(id);
        // The separator keeps the parts apart.
        assertThat(TriggerIds.of("ab", TriggerType.CART_ABANDONED, "c"))
                .isNotEqualTo(TriggerIds.of("a", TriggerType.CART_ABANDONED, "bc"));
    }

    @Test
    void aRecordCarriesItsIdAndItsWireName() {
        TriggerRecord r = TriggerRecord.of(TriggerType.CHECKOUT_ABANDONED, ALICE, ANCHOR, T0_PLUS_30M, T0_PLUS_30M,
                new TriggerContext());

        assertThat(r.trigger).isEqualTo("checkout_abandoned");
        assertThat(r.triggerId).isEqualTo(TriggerIds.of(ALICE, TriggerType.CHECKOUT_ABANDONED, ANCHOR));
        assertThat(r.anchorMessageId).isEqualTo(ANCHOR);
    }

    @Test
    void detectedAtIsTheClockButNeverBeforeTheEventTimeAndTheEventTimeAtTheEndOfInput() {
        TriggerContext c = new TriggerContext();
        assertThat(TriggerRecord.of(TriggerType.CART_ABANDONED, ALICE, ANCHOR, T0_PLUS_30M, T0_PLUS_30M + 5, c).detectedAt)
                .isEqualTo(T0_PLUS_30M + 5);
        assertThat(TriggerRecord.of(TriggerType.CART_ABANDONED, ALICE, ANCHOR, T0_PLUS_30M, T0, c).detectedAt)
                .isEqualTo(T0_PLUS_30M);
        assertThat(TriggerRecord.of(TriggerType.CART_ABANDONED, ALICE, ANCHOR, T0_PLUS_30M, Long.MAX_VALUE, c).detectedAt)
                .isEqualTo(T0_PLUS_30M);
    }

    @Test
    void triggerTypesRoundTripTheirWireNames() {
        for (TriggerType type : TriggerType.values()) {
            assertThat(TriggerType.ofId(type.id())).isEqualTo(type);
        }
    }
}
