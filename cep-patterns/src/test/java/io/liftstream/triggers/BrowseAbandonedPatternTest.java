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
import static io.liftstream.triggers.TriggerFixtures.other;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productRemoved;
import static io.liftstream.triggers.TriggerFixtures.productViewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

/**
 * Golden tests of browse_abandoned: at least 3 Product Viewed (consecutive views less than 30 min
 * apart, no add or order among them), then 30 min after the last view with no view, add or order.
 * One trigger per run, anchored on the last view, event time = last view + 30 min. Runs through both
 * operators of the trigger ({@link SilencePipeline#browse}): the CEP pattern finds the silence after
 * the last view, {@link BrowseAbandonedFunction} counts the run.
 */
class BrowseAbandonedPatternTest {
    private static final long TIMEOUT = 30 * MINUTE;

    private SilencePipeline<Silence> browse;

    @BeforeEach
    void open() throws Exception {
        browse = SilencePipeline.browse(TriggerFixtures.defaults(), Backend.HEAP);
    }

    @AfterEach
    void close() throws Exception {
        browse.close();
    }

    @Test
    void threeViewsThenSilenceFireAtLastViewPlusTimeoutNotBefore() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p1"));

        assertThat(browse.advanceTo(T0_PLUS_2M + TIMEOUT - 1)).isEmpty();

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_2M + TIMEOUT);
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
        browse.send(productViewed(ALICE, T0, "p1"), productViewed(ALICE, T0_PLUS_1M, "p2"));

        assertThat(browse.advanceTo(T0_PLUS_1D)).isEmpty();
    }

    @Test
    void aLongerRunFiresOnceWithAllItsViews() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_3M, "p4"),
                productViewed(ALICE, T0_PLUS_20M, "p5"));

        // A view 17 min after the third extends the run: nothing at third view + 30 min.
        assertThat(browse.advanceTo(T0_PLUS_2M + TIMEOUT)).isEmpty();

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_20M + TIMEOUT);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(5);
        assertThat(out.get(0).context.firstViewedAt).isEqualTo(T0);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_20M + TIMEOUT);

        assertThat(browse.advanceTo(T0_PLUS_1D)).isEmpty();
    }

    @Test
    void aLongerRunFiresOnceWhenTheWatermarkJumpsPastIt() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_3M, "p4"));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(4);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_3M + TIMEOUT);
    }

    @Test
    void productAddedBreaksTheRun() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productAdded(ALICE, T0_PLUS_2M, "p2", 10.0, 1),
                productViewed(ALICE, T0_PLUS_3M, "p3"),
                productViewed(ALICE, T0_PLUS_4M, "p4"));

        assertThat(browse.advanceTo(T0_PLUS_1D)).isEmpty();
    }

    @Test
    void aRunAfterAnAddCountsOnlyItsOwnViews() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productAdded(ALICE, T0_PLUS_2M, "p2", 10.0, 1),
                productViewed(ALICE, T0_PLUS_3M, "p3"),
                productViewed(ALICE, T0_PLUS_4M, "p4"),
                productViewed(ALICE, T0_PLUS_5M, "p5"));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(3);
        assertThat(out.get(0).context.productIds).containsExactly("p3", "p4", "p5");
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_5M + TIMEOUT);
    }

    @Test
    void addOrOrderWithinTheTimeoutPreventsTheTrigger() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productAdded(ALICE, T0_PLUS_2M + TIMEOUT - 1, "p3", 10.0, 1));
        browse.send(
                productViewed(BOB, T0, "p1"),
                productViewed(BOB, T0_PLUS_1M, "p2"),
                productViewed(BOB, T0_PLUS_2M, "p3"),
                orderCompleted(BOB, T0_PLUS_10M, "o1", 10.0));

        assertThat(browse.advanceTo(T0_PLUS_1D)).isEmpty();
    }

    @Test
    void anAddAtExactlyLastViewPlusTimeoutDoesNotPreventTheTrigger() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productAdded(ALICE, T0_PLUS_2M + TIMEOUT, "p3", 10.0, 1));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_2M + TIMEOUT);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_2M + TIMEOUT);
    }

    @Test
    void aGapOfTheTimeoutBetweenViewsEndsTheRun() throws Exception {
        // Two runs of two views each: the gap of exactly 30 min between them splits them.
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_1M + TIMEOUT, "p3"),
                productViewed(ALICE, T0_PLUS_2M + TIMEOUT, "p4"));

        assertThat(browse.advanceTo(T0_PLUS_1D)).isEmpty();
    }

    @Test
    void aGapJustUnderTheTimeoutKeepsTheRun() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_1M + TIMEOUT - 1, "p3"));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(3);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_1M + 2 * TIMEOUT - 1);
    }

    @Test
    void aRunAfterALongGapFiresOnItsOwn() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M + TIMEOUT, "p3"),
                productViewed(ALICE, T0_PLUS_3M + TIMEOUT, "p4"),
                productViewed(ALICE, T0_PLUS_4M + TIMEOUT, "p5"));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.productIds).containsExactly("p3", "p4", "p5");
    }

    @Test
    void twoSeparateRunsFireTwice() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_2M + 2 * TIMEOUT, "p4"),
                productViewed(ALICE, T0_PLUS_3M + 2 * TIMEOUT, "p5"),
                productViewed(ALICE, T0_PLUS_4M + 2 * TIMEOUT, "p6"));

        assertThat(browse.advanceTo(T0_PLUS_2M + TIMEOUT)).extracting(r -> r.eventTime).containsExactly(T0_PLUS_2M + TIMEOUT);

        assertThat(browse.advanceTo(T0_PLUS_1D)).extracting(r -> r.eventTime).containsExactly(T0_PLUS_4M + 3 * TIMEOUT);
    }

    @Test
    void otherEventsNeitherExtendNorBreakTheRun() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                other(ALICE, T0_PLUS_1M, "Page Viewed"),
                productViewed(ALICE, T0_PLUS_2M, "p2"),
                productRemoved(ALICE, T0_PLUS_3M, "p0"),
                productViewed(ALICE, T0_PLUS_4M, "p3"),
                other(ALICE, T0_PLUS_20M, "Product Clicked"));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.viewCount).isEqualTo(3);
        assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_4M + TIMEOUT);
    }

    @Test
    void twoViewsAtTheSameMillisecondBothCount() throws Exception {
        // Three views, two of them at the same instant (distinct message ids): still a run of three.
        ShopperEvent twin = productViewed(ALICE, T0_PLUS_1M, "p3");
        twin.messageId = twin.messageId + "-twin";
        browse.send(productViewed(ALICE, T0, "p1"), productViewed(ALICE, T0_PLUS_1M, "p2"), twin);

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).anchorMessageId).isEqualTo(twin.messageId);
        assertThat(out.get(0).context.viewCount).isEqualTo(3);
    }

    @Test
    void aViewAtTheSameMillisecondAsAnAddAndAfterItStartsTheNextRun() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productAdded(ALICE, T0_PLUS_2M, "p2", 1.0, 1),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(ALICE, T0_PLUS_3M, "p4"),
                productViewed(ALICE, T0_PLUS_4M, "p5"));

        List<TriggerRecord> out = browse.advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.productIds).containsExactly("p3", "p4", "p5");
    }

    @Test
    void aSingleViewRunFiresWhenOneViewIsEnough() throws Exception {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.BROWSE_ABANDONED_VIEWS, 1);
        try (SilencePipeline<Silence> single = SilencePipeline.browse(TriggerSettings.from(conf), Backend.HEAP)) {
            single.send(productViewed(ALICE, T0, "p1"));
            assertThat(single.advanceTo(T0_PLUS_1D)).extracting(t -> t.context.viewCount).containsExactly(1);
        }
    }

    @Test
    void stateAndTimersAreGoneOnceTheWatermarkPassesEverything() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productViewed(ALICE, T0_PLUS_2M, "p3"),
                productViewed(BOB, T0, "p1"),
                productViewed(BOB, T0_PLUS_1M, "p2"),
                productAdded(BOB, T0_PLUS_2M, "p2", 5.0, 1),
                orderCompleted(BOB, T0_PLUS_3M, "o1", 5.0),
                productViewed(BOB, T0_PLUS_4M, "p9"));
        assertThat(browse.cepTimers()).isPositive();
        assertThat(browse.contextTimers()).isPositive();

        assertThat(browse.advanceTo(T0_PLUS_1D)).extracting(r -> r.userId).containsExactly(ALICE);
        assertThat(browse.cepStateEntries()).isZero();
        assertThat(browse.cepTimers()).isZero();
        assertThat(browse.contextStateEntries()).isZero();
        assertThat(browse.contextTimers()).isZero();
    }

    @Test
    void theLedgerOnlyKeepsWhatCanStillBelongToARun() throws Exception {
        browse.send(
                productViewed(ALICE, T0, "p1"),
                productViewed(ALICE, T0_PLUS_1M, "p2"),
                productAdded(ALICE, T0_PLUS_2M, "p2", 1.0, 1),
                productViewed(ALICE, T0_PLUS_3M, "p3"));

        // The add broke the first run: only the view after it remains until its silence.
        browse.advanceTo(T0_PLUS_3M);
        assertThat(browse.contextStateEntries()).isEqualTo(1);
        browse.advanceTo(T0_PLUS_3M + TIMEOUT);
        assertThat(browse.contextStateEntries()).isZero();
        assertThat(browse.contextTimers()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRunInProgressSurvivesSnapshotAndRestoreAndFiresOnce(Backend backend) throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        SilencePipeline.Snapshot snapshot;
        try (SilencePipeline<Silence> before = SilencePipeline.browse(settings, backend)) {
            before.send(productViewed(ALICE, T0, "p1"), productViewed(ALICE, T0_PLUS_1M, "p2"));
            assertThat(before.advanceTo(T0_PLUS_2M)).isEmpty();
            snapshot = before.snapshot(1L, T0_PLUS_2M);
        }

        try (SilencePipeline<Silence> after = SilencePipeline.restoreBrowse(settings, backend, snapshot)) {
            assertThat(after.contextStateEntries()).isEqualTo(1);
            after.send(productViewed(ALICE, T0_PLUS_3M, "p3"));
            assertThat(after.advanceTo(T0_PLUS_3M + TIMEOUT - 1)).isEmpty();

            List<TriggerRecord> out = after.advanceTo(T0_PLUS_3M + TIMEOUT);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).context.viewCount).isEqualTo(3);
            assertThat(out.get(0).context.productIds).containsExactly("p1", "p2", "p3");

            assertThat(after.advanceTo(T0_PLUS_1D)).isEmpty();
            assertThat(after.cepStateEntries()).isZero();
            assertThat(after.contextStateEntries()).isZero();
            assertThat(after.cepTimers()).isZero();
            assertThat(after.contextTimers()).isZero();
        }
    }
}
