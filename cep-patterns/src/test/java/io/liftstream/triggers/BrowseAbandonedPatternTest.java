package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_10M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_20M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_3M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_4M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerFixtures.orderCompleted;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productViewed;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static io.liftstream.triggers.TriggerHarnesses.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Golden tests of browse_abandoned: at least 3 Product Viewed (consecutive views less than 30 min
 * apart, no add or order among them), then 30 min after the last view with no view, add or order.
 * One trigger per run, anchored on the last view, event time = last view + 30 min.
 */
class BrowseAbandonedPatternTest {
    private static final long TIMEOUT = 30 * MINUTE;

    private KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> harness;

    @BeforeEach
    void open() throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        harness = TriggerHarnesses.openCep(
                TriggerPatterns.browseAbandoned(settings), new BrowseAbandonedFunction(settings));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void threeViewsThenSilenceFireAtLastViewPlusTimeoutNotBefore() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p1"));

        harness.processWatermark(T0_PLUS_2M + TIMEOUT - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_2M + TIMEOUT);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        TriggerRecord t = out.get(0);
        assertThat(t.trigger).isEqualTo("browse_abandoned");
        assertThat(t.userId).isEqualTo(ALICE);
        assertThat(t.anchorMessageId).isEqualTo(productViewed(ALICE, T0_PLUS_2M, "p1").messageId);
        assertThat(t.triggerId)
                .isEqualTo(TriggerIds.of(ALICE, TriggerType.BROWSE_ABANDONED, t.anchorMessageId));
        assertThat(t.eventTime).isEqualTo(T0_PLUS_2M + TIMEOUT);
        assertThat(t.detectedAt).isEqualTo(T0_PLUS_2M + TIMEOUT);
        assertThat(t.context.viewCount).isEqualTo(3);
        assertThat(t.context.productIds).containsExactly("p1", "p2");
        assertThat(t.context.firstViewedAt).isEqualTo(T0);
        assertThat(t.context.lastViewedAt).isEqualTo(T0_PLUS_2M);
    }

    @Test
    void twoViewsAreNotARun() throws Exception {
        send(harness, productViewed(ALICE, T0, "p1"), productViewed(ALICE, T0_PLUS_1M, "p2"));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void aLongerRunFiresOnceWithAllItsViews() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_3M, "p4"),
                productViewed(ALICE, T0_PLUS_20M, "p5"));

        // A view 17 min after the third extends the run: nothing at third view + 30 min.
        harness.processWatermark(T0_PLUS_2M + TIMEOUT);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_20M + TIMEOUT);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(5);
        assertThat(out.get(0).context.firstViewedAt).isEqualTo(T0);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_20M + TIMEOUT);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void aLongerRunFiresOnceWhenTheWatermarkJumpsPastIt() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_3M, "p4"));

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(4);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_3M + TIMEOUT);
    }

    @Test
    void productAddedBreaksTheRun() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productAdded(ALICE, T0_PLUS_2M, "p2", 10.0, 1),
                productViewed(ALICE, T0_PLUS_3M, "p3"),
                productViewed(ALICE, T0_PLUS_4M, "p4"));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void aRunAfterAnAddCountsOnlyItsOwnViews() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productAdded(ALICE, T0_PLUS_2M, "p2", 10.0, 1),
                productViewed(ALICE, T0_PLUS_3M, "p3"),
                productViewed(ALICE, T0_PLUS_4M, "p4"),
                productViewed(ALICE, T0_PLUS_5M, "p5"));

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(3);
        assertThat(out.get(0).context.productIds).containsExactly("p3", "p4", "p5");
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_5M + TIMEOUT);
    }

    @Test
    void addOrOrderWithinTheTimeoutPreventsTheTrigger() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productAdded(ALICE, T0_PLUS_2M + TIMEOUT - 1, "p3", 10.0, 1));
        send(harness,
                productViewed(BOB, T0, "p1"),
                productViewed(BOB, T0_PLUS_1M, "p2"),
                productViewed(BOB, T0_PLUS_2M, "p3"),
                orderCompleted(BOB, T0_PLUS_10M, "o1", 10.0));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void anAddAtExactlyLastViewPlusTimeoutDoesNotPreventTheTrigger() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productAdded(ALICE, T0_PLUS_2M + TIMEOUT, "p3", 10.0, 1));

        harness.processWatermark(T0_PLUS_2M + TIMEOUT);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_2M + TIMEOUT);
    }

    @Test
    void aGapOfTheTimeoutBetweenViewsEndsTheRun() throws Exception {
        // Two runs of two views each: the gap of exactly 30 min between them splits them.
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_1M + TIMEOUT, "p3"),
                productViewed(ALICE, T0_PLUS_2M + TIMEOUT, "p4"));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void aGapJustUnderTheTimeoutKeepsTheRun() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_1M + TIMEOUT - 1, "p3"));

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(3);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_1M + 2 * TIMEOUT - 1);
    }

    @Test
    void aRunAfterALongGapFiresOnItsOwn() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M + TIMEOUT, "p3"),
                productViewed(ALICE, T0_PLUS_3M + TIMEOUT, "p4"),
                productViewed(ALICE, T0_PLUS_4M + TIMEOUT, "p5"));

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.productIds).containsExactly("p3", "p4", "p5");
    }

    @Test
    void twoSeparateRunsFireTwice() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_2M + 2 * TIMEOUT, "p4"),
                productViewed(ALICE, T0_PLUS_3M + 2 * TIMEOUT, "p5"),
                productViewed(ALICE, T0_PLUS_4M + 2 * TIMEOUT, "p6"));

        harness.processWatermark(T0_PLUS_2M + TIMEOUT);
        assertThat(drain(harness)).extracting(r -> r.eventTime).containsExactly(T0_PLUS_2M + TIMEOUT);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(r -> r.eventTime).containsExactly(T0_PLUS_4M + 3 * TIMEOUT);
    }

    @Test
    void stateAndTimersAreGoneOnceTheWatermarkPassesEverything() throws Exception {
        send(harness,
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(BOB, T0, "p1"),
                productViewed(BOB, T0_PLUS_1M, "p2"),
                productAdded(BOB, T0_PLUS_2M, "p2", 5.0, 1));
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(r -> r.userId).containsExactly(ALICE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
