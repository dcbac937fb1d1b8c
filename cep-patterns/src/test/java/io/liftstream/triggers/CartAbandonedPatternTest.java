package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_10M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_29M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2H;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_40M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_60M;
import static io.liftstream.triggers.TriggerFixtures.orderCompleted;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productRemoved;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static io.liftstream.triggers.TriggerHarnesses.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Golden tests of the cart_abandoned CEP pattern alone (with {@link SilenceFunction}): a Product
 * Added followed by 30 min of event time with neither another Product Added nor an Order Completed
 * yields exactly one silence, anchored on that add, at add + 30 min.
 */
class CartAbandonedPatternTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, Silence> harness;

    @BeforeEach
    void open() throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        harness = TriggerHarnesses.openCep(TriggerPatterns.cartAbandoned(settings), SilenceFunction.cart(settings));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void firesAtLastAddPlusTimeoutAndNotOneMillisecondBefore() throws Exception {
        ShopperEvent add = productAdded(ALICE, T0, "p1", 10.0, 1);
        send(harness, add);

        harness.processWatermark(T0_PLUS_30M - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_30M);
        List<StreamRecord<? extends Silence>> records = harness.extractOutputStreamRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getTimestamp()).isEqualTo(T0_PLUS_30M);
        Silence silence = records.get(0).getValue();
        assertThat(silence.userId).isEqualTo(ALICE);
        assertThat(silence.anchorMessageId).isEqualTo(add.messageId);
        assertThat(silence.lastEventAt).isEqualTo(T0);
        assertThat(silence.abandonedAt).isEqualTo(T0_PLUS_30M);
        assertThat(silence.detectionClock).isEqualTo(T0_PLUS_30M);
    }

    @Test
    void aLaterAddWithinTheTimeoutRestartsTheSilence() throws Exception {
        ShopperEvent second = productAdded(ALICE, T0_PLUS_10M, "p2", 5.0, 2);
        send(harness, productAdded(ALICE, T0, "p1", 10.0, 1), second);

        harness.processWatermark(T0_PLUS_40M - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_40M);
        List<Silence> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).anchorMessageId).isEqualTo(second.messageId);
        assertThat(out.get(0).abandonedAt).isEqualTo(T0_PLUS_40M);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void oneSilencePerSilenceEvenWhenTheWatermarkJumpsPastSeveralAdds() throws Exception {
        send(harness,
                productAdded(ALICE, T0, "p1", 10.0, 1),
                productAdded(ALICE, T0_PLUS_5M, "p2", 10.0, 1),
                productAdded(ALICE, T0_PLUS_10M, "p3", 10.0, 1));

        harness.processWatermark(T0_PLUS_1D);
        List<Silence> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).lastEventAt).isEqualTo(T0_PLUS_10M);
        assertThat(out.get(0).abandonedAt).isEqualTo(T0_PLUS_40M);
        assertThat(out.get(0).detectionClock).isEqualTo(T0_PLUS_1D);
    }

    @Test
    void eventsArrivingOutOfOrderAreMatchedInEventTimeOrder() throws Exception {
        // The later add arrives first; the pattern still anchors on it.
        send(harness, productAdded(ALICE, T0_PLUS_10M, "p2", 10.0, 1), productAdded(ALICE, T0, "p1", 10.0, 1));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(s -> s.lastEventAt).containsExactly(T0_PLUS_10M);
    }

    @Test
    void anOrderWithinTheTimeoutPreventsTheSilence() throws Exception {
        send(harness, productAdded(ALICE, T0, "p1", 10.0, 1), orderCompleted(ALICE, T0_PLUS_29M, "o1", 10.0));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void anAddAtExactlyLastAddPlusTimeoutDoesNotPreventTheSilenceAndStartsANewOne() throws Exception {
        send(harness, productAdded(ALICE, T0, "p1", 10.0, 1), productAdded(ALICE, T0_PLUS_30M, "p2", 10.0, 1));

        harness.processWatermark(T0_PLUS_30M);
        assertThat(drain(harness)).extracting(s -> s.abandonedAt).containsExactly(T0_PLUS_30M);

        harness.processWatermark(T0_PLUS_60M - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_60M);
        assertThat(drain(harness)).extracting(s -> s.lastEventAt).containsExactly(T0_PLUS_30M);
    }

    @Test
    void anOrderAtExactlyLastAddPlusTimeoutDoesNotPreventTheSilence() throws Exception {
        send(harness, productAdded(ALICE, T0, "p1", 10.0, 1), orderCompleted(ALICE, T0_PLUS_30M, "o1", 10.0));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(s -> s.abandonedAt).containsExactly(T0_PLUS_30M);
    }

    @Test
    void removalsDoNotRestartTheSilence() throws Exception {
        // Removals reach the pattern (the job feeds it all cart events) but only adds and orders count.
        send(harness, productAdded(ALICE, T0, "p1", 10.0, 2), productRemoved(ALICE, T0_PLUS_10M, "p1", 1));

        harness.processWatermark(T0_PLUS_30M);
        assertThat(drain(harness)).extracting(s -> s.lastEventAt).containsExactly(T0);
    }

    @Test
    void aRemovalAloneStartsNothing() throws Exception {
        send(harness, productRemoved(ALICE, T0, "p1"));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void usersAreIndependent() throws Exception {
        send(harness,
                productAdded(ALICE, T0, "p1", 10.0, 1),
                productAdded(BOB, T0_PLUS_5M, "p1", 10.0, 1),
                orderCompleted(BOB, T0_PLUS_10M, "o1", 10.0),
                productAdded(BOB, T0_PLUS_2H, "p2", 10.0, 1));

        harness.processWatermark(T0_PLUS_2H);
        assertThat(drain(harness)).extracting(s -> s.userId).containsExactly(ALICE);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(s -> s.userId + "@" + s.lastEventAt).containsExactly(BOB + "@" + T0_PLUS_2H);
    }

    @Test
    void stateAndTimersAreGoneOnceTheWatermarkPassesEverything() throws Exception {
        send(harness,
                productAdded(ALICE, T0, "p1", 10.0, 1),
                productAdded(ALICE, T0_PLUS_5M, "p2", 10.0, 1),
                productRemoved(ALICE, T0_PLUS_10M, "p1"),
                productAdded(BOB, T0, "p1", 10.0, 1),
                orderCompleted(BOB, T0_PLUS_10M, "o1", 10.0));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
