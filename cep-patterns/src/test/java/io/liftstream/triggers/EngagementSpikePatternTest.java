package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerFixtures.other;
import static io.liftstream.triggers.TriggerFixtures.productViewed;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static io.liftstream.triggers.TriggerHarnesses.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Golden tests of the engagement_spike CEP pattern (candidates, before the cooldown): 20 events by
 * one user with the first and the 20th strictly less than 5 min apart.
 */
class EngagementSpikePatternTest {
    private static final long WINDOW = 5 * MINUTE;
    private static final int COUNT = 20;

    private KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = TriggerHarnesses.openCep(
                TriggerPatterns.engagementSpike(TriggerFixtures.defaults()), new EngagementSpikeFunction());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** {@code n} events of {@code user}: the first at {@code first}, the last at {@code last}, evenly between. */
    static List<ShopperEvent> burst(String user, int n, long first, long last) {
        List<ShopperEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = i == n - 1 ? last : first + (last - first) * i / (n - 1);
            // Mixed event types: every event counts as activity.
            events.add(i % 2 == 0 ? other(user, t, "Page Viewed") : productViewed(user, t, "p" + i));
        }
        return events;
    }

    private void sendAll(List<ShopperEvent> events) throws Exception {
        send(harness, events.toArray(new ShopperEvent[0]));
    }

    @Test
    void twentyEventsWithinTheWindowMakeASpikeAnchoredOnTheTwentieth() throws Exception {
        List<ShopperEvent> events = burst(ALICE, COUNT, T0, T0 + 3 * MINUTE);
        sendAll(events);

        harness.processWatermark(T0 + 3 * MINUTE - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0 + 3 * MINUTE);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        TriggerRecord spike = out.get(0);
        ShopperEvent last = events.get(COUNT - 1);
        assertThat(spike.trigger).isEqualTo("engagement_spike");
        assertThat(spike.anchorMessageId).isEqualTo(last.messageId);
        assertThat(spike.triggerId).isEqualTo(TriggerIds.of(ALICE, TriggerType.ENGAGEMENT_SPIKE, last.messageId));
        assertThat(spike.eventTime).isEqualTo(T0 + 3 * MINUTE);
        assertThat(spike.detectedAt).isEqualTo(T0 + 3 * MINUTE);
        assertThat(spike.context.eventCount).isEqualTo(COUNT);
        assertThat(spike.context.windowStart).isEqualTo(T0);
        assertThat(spike.context.windowEnd).isEqualTo(T0 + 3 * MINUTE);
    }

    @Test
    void nineteenEventsAreNoSpike() throws Exception {
        sendAll(burst(ALICE, COUNT - 1, T0, T0 + MINUTE));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void theTwentiethEventAtExactlyStartPlusWindowMakesNoSpike() throws Exception {
        sendAll(burst(ALICE, COUNT, T0, T0_PLUS_5M));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void theTwentiethEventOneMillisecondInsideTheWindowMakesASpike() throws Exception {
        sendAll(burst(ALICE, COUNT, T0, T0 + WINDOW - 1));

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.windowStart).isEqualTo(T0);
        assertThat(out.get(0).context.windowEnd).isEqualTo(T0 + WINDOW - 1);
    }

    @Test
    void aSlidingWindowFindsTheSpikeAfterADroppedFirstEvent() throws Exception {
        // 21 events: the first is too early for the 21st, events 2..21 make the spike.
        List<ShopperEvent> events = new ArrayList<>();
        events.add(other(ALICE, T0, "Page Viewed"));
        events.addAll(burst(ALICE, COUNT, T0 + 2 * MINUTE, T0 + 2 * MINUTE + WINDOW - 1));
        sendAll(events);

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.windowStart).isEqualTo(T0 + 2 * MINUTE);
    }

    @Test
    void fortyEventsMakeTwoCandidatesFromFreshEvents() throws Exception {
        sendAll(burst(ALICE, 2 * COUNT, T0, T0 + 2 * MINUTE));

        harness.processWatermark(T0_PLUS_1D);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).context.windowStart).isGreaterThan(out.get(0).context.windowEnd);
    }

    @Test
    void usersAreCountedSeparately() throws Exception {
        List<ShopperEvent> events = new ArrayList<>(burst(ALICE, COUNT / 2, T0, T0 + MINUTE));
        events.addAll(burst(BOB, COUNT / 2, T0, T0 + MINUTE));
        sendAll(events);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void stateAndTimersAreGoneOnceTheWatermarkPassesEverything() throws Exception {
        sendAll(burst(ALICE, COUNT + 5, T0, T0 + MINUTE));
        sendAll(burst(BOB, 7, T0, T0 + MINUTE));
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
