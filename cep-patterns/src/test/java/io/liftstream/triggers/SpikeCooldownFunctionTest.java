package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static io.liftstream.triggers.TriggerHarnesses.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;

import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** At most one engagement_spike per user per 5-min window, and no state left behind. */
class SpikeCooldownFunctionTest {
    private static final long WINDOW = 5 * MINUTE;

    private KeyedOneInputStreamOperatorTestHarness<String, TriggerRecord, TriggerRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = TriggerHarnesses.spikeCooldown(TriggerFixtures.defaults(), Backend.HEAP);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static TriggerRecord spike(String user, long at) {
        TriggerContext context = new TriggerContext();
        context.eventCount = 20;
        context.windowStart = at - MINUTE;
        context.windowEnd = at;
        return TriggerRecord.of(TriggerType.ENGAGEMENT_SPIKE, user, "m-" + user + "-" + at, at, at, context);
    }

    private void sendSpike(TriggerRecord spike) throws Exception {
        harness.processElement(spike, spike.eventTime);
    }

    @Test
    void aSpikeLessThanAWindowAfterTheLastOneIsDropped() throws Exception {
        sendSpike(spike(ALICE, T0));
        sendSpike(spike(ALICE, T0 + WINDOW - 1));

        assertThat(drain(harness)).extracting(t -> t.eventTime).containsExactly(T0);
    }

    @Test
    void aSpikeExactlyAWindowAfterTheLastOneIsKept() throws Exception {
        sendSpike(spike(ALICE, T0));
        harness.processWatermark(T0_PLUS_5M - 1);
        sendSpike(spike(ALICE, T0_PLUS_5M));

        assertThat(drain(harness)).extracting(t -> t.eventTime).containsExactly(T0, T0_PLUS_5M);
    }

    @Test
    void aDroppedSpikeDoesNotExtendTheCooldown() throws Exception {
        sendSpike(spike(ALICE, T0));
        sendSpike(spike(ALICE, T0 + 4 * MINUTE));
        sendSpike(spike(ALICE, T0 + WINDOW));

        assertThat(drain(harness)).extracting(t -> t.eventTime).containsExactly(T0, T0 + WINDOW);
    }

    @Test
    void usersCoolDownSeparately() throws Exception {
        sendSpike(spike(ALICE, T0));
        sendSpike(spike(BOB, T0_PLUS_1M));
        sendSpike(spike(ALICE, T0 + 2 * MINUTE));

        assertThat(drain(harness)).extracting(t -> t.userId).containsExactly(ALICE, BOB);
    }

    @Test
    void stateAndTimersAreGoneOneWindowAfterTheLastSpike() throws Exception {
        sendSpike(spike(ALICE, T0));
        sendSpike(spike(BOB, T0_PLUS_1M));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(T0_PLUS_5M);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0_PLUS_1M + WINDOW);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /** CEP candidates piped into the cooldown, as the job wires them. */
    @Test
    void twoCandidatesWithinOneWindowBecomeOneSpike() throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        try (KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> cep =
                TriggerHarnesses.openCep(TriggerPatterns.engagementSpike(settings), new EngagementSpikeFunction())) {
            List<ShopperEvent> events = new ArrayList<>(EngagementSpikePatternTest.burst(ALICE, 40, T0, T0 + 2 * MINUTE));
            // A third burst after the window: a new spike.
            events.addAll(EngagementSpikePatternTest.burst(ALICE, 20, T0 + 10 * MINUTE, T0 + 11 * MINUTE));
            send(cep, events.toArray(new ShopperEvent[0]));
            cep.processWatermark(T0_PLUS_1D);
            List<TriggerRecord> candidates = drain(cep);
            assertThat(candidates).hasSize(3);

            for (TriggerRecord candidate : candidates) {
                sendSpike(candidate);
            }
            harness.processWatermark(T0_PLUS_1D);
            assertThat(drain(harness))
                    .extracting(t -> t.eventTime)
                    .containsExactly(candidates.get(0).eventTime, T0 + 11 * MINUTE);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(cep.numKeyedStateEntries()).isZero();
        }
    }
}
