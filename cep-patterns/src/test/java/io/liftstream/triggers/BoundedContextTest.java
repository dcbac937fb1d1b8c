package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productViewed;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Issue 13: trigger contexts list at most {@link TriggerContext#MAX_LISTED} cart lines or products,
 * with the full counts and value beside them (a bot viewing 30,000 products once gave a 1.19 MB
 * browse_abandoned).
 */
class BoundedContextTest {

    @Test
    void aCartOfFiveThousandLinesListsItsHundredMostValuableWithTheFullCountAndValue() {
        List<ShopperEvent> ledger = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ledger.add(productAdded(ALICE, T0 + i * 100L, "p" + i, i % 50 + 1, 1));
        }
        TriggerContext cart = CartLedger.cartAt(ledger, T0 + 3_600_000);

        assertThat(cart.itemCount).isEqualTo(5_000);
        assertThat(cart.value).isEqualTo(127_500.0); // 100 × (1 + … + 50)
        assertThat(cart.items).hasSize(100);
        assertThat(cart.lineCount).isEqualTo(5_000);
        assertThat(cart.itemsTruncated).isTrue();
        // the price-50 lines (p49, p99, …), in order of first add
        List<String> listed = java.util.Arrays.stream(cart.items).map(l -> l.productId).collect(Collectors.toList());
        assertThat(listed.get(0)).isEqualTo("p49");
        assertThat(listed.get(1)).isEqualTo("p99");
        assertThat(listed.get(99)).isEqualTo("p4999");
    }

    @Test
    void aCartAtTheLimitIsListedWholeAndUnmarked() {
        List<ShopperEvent> ledger = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ledger.add(productAdded(ALICE, T0 + i, "p" + i, 1, 1));
        }
        TriggerContext cart = CartLedger.cartAt(ledger, T0 + 1_000);

        assertThat(cart.items).hasSize(100);
        assertThat(cart.items[0].productId).isEqualTo("p0");
        assertThat(cart.itemsTruncated).isNull();
        assertThat(cart.lineCount).isNull();
    }

    @Test
    void aBotViewingThirtyThousandProductsGetsOneSmallBrowseAbandonedWithTheFullViewCount() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> harness =
                TriggerHarnesses.keyedTriggers(TriggerSettings.defaults(), Backend.HEAP)) {
            harness.open();
            long last = 0;
            for (int i = 0; i < 30_000; i++) {
                last = T0 + i * 200L;
                harness.processElement(productViewed(ALICE, last, "bot-" + i), last);
                if (i % 1_000 == 0) {
                    harness.processWatermark(new Watermark(last - 10_001));
                }
            }
            harness.processWatermark(new Watermark(Long.MAX_VALUE));

            List<TriggerRecord> browse = drain(harness).stream()
                    .filter(t -> t.trigger.equals(TriggerType.BROWSE_ABANDONED.id())).collect(Collectors.toList());
            assertThat(browse).hasSize(1);
            TriggerContext c = browse.get(0).context;
            assertThat(c.viewCount).isEqualTo(30_000);
            assertThat(c.productIds).hasSize(100);
            assertThat(c.productIds[0]).isEqualTo("bot-0");
            assertThat(c.productIds[99]).isEqualTo("bot-99");
            assertThat(c.productIdsTruncated).isTrue();
            assertThat(c.firstViewedAt).isEqualTo(T0);
            assertThat(c.lastViewedAt).isEqualTo(last);
        }
    }
}
