package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_10M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_20M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2H;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_60M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_80M;
import static io.liftstream.triggers.TriggerFixtures.checkoutStarted;
import static io.liftstream.triggers.TriggerFixtures.orderCompleted;
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
 * Golden tests of checkout_abandoned: a Checkout Started not followed by an Order Completed within
 * 60 min fires once at checkout + 60 min; a repeated Checkout Started restarts the timeout.
 */
class CheckoutAbandonedPatternTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, TriggerRecord> harness;

    @BeforeEach
    void open() throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        harness = TriggerHarnesses.openCep(
                TriggerPatterns.checkoutAbandoned(settings), new CheckoutAbandonedFunction(settings));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void firesAtCheckoutPlusTimeoutAndNotOneMillisecondBefore() throws Exception {
        ShopperEvent checkout = checkoutStarted(ALICE, T0, "o1", 42.5);
        send(harness, checkout);

        harness.processWatermark(T0_PLUS_60M - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_60M);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        TriggerRecord t = out.get(0);
        assertThat(t.trigger).isEqualTo("checkout_abandoned");
        assertThat(t.userId).isEqualTo(ALICE);
        assertThat(t.anchorMessageId).isEqualTo(checkout.messageId);
        assertThat(t.triggerId).isEqualTo(TriggerIds.of(ALICE, TriggerType.CHECKOUT_ABANDONED, checkout.messageId));
        assertThat(t.eventTime).isEqualTo(T0_PLUS_60M);
        assertThat(t.detectedAt).isEqualTo(T0_PLUS_60M);
        assertThat(t.context.orderId).isEqualTo("o1");
        assertThat(t.context.cartId).isEqualTo("cart-" + ALICE);
        assertThat(t.context.value).isEqualTo(42.5);
        assertThat(t.context.currency).isEqualTo("EUR");
        assertThat(t.context.checkoutStartedAt).isEqualTo(T0);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void anOrderWithinTheTimeoutPreventsTheTrigger() throws Exception {
        send(harness, checkoutStarted(ALICE, T0, "o1", 42.5), orderCompleted(ALICE, T0_PLUS_60M - 1, "o1", 42.5));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void anOrderAtExactlyCheckoutPlusTimeoutDoesNotPreventTheTrigger() throws Exception {
        send(harness, checkoutStarted(ALICE, T0, "o1", 42.5), orderCompleted(ALICE, T0_PLUS_60M, "o1", 42.5));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(t -> t.eventTime).containsExactly(T0_PLUS_60M);
    }

    @Test
    void aRepeatedCheckoutStartedRestartsTheTimeoutAndFiresOnce() throws Exception {
        ShopperEvent second = checkoutStarted(ALICE, T0_PLUS_20M, "o1", 42.5);
        send(harness, checkoutStarted(ALICE, T0, "o1", 40.0), checkoutStarted(ALICE, T0_PLUS_10M, "o1", 41.0), second);

        harness.processWatermark(T0_PLUS_80M - 1);
        assertThat(drain(harness)).isEmpty();

        harness.processWatermark(T0_PLUS_80M);
        List<TriggerRecord> out = drain(harness);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).anchorMessageId).isEqualTo(second.messageId);
        assertThat(out.get(0).context.value).isEqualTo(42.5);
        assertThat(out.get(0).context.checkoutStartedAt).isEqualTo(T0_PLUS_20M);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void aRepeatedCheckoutThenAnOrderFiresNothing() throws Exception {
        send(harness,
                checkoutStarted(ALICE, T0, "o1", 40.0),
                checkoutStarted(ALICE, T0_PLUS_10M, "o1", 41.0),
                orderCompleted(ALICE, T0_PLUS_20M, "o1", 41.0));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).isEmpty();
    }

    @Test
    void aCheckoutAfterAnAbandonedOneIsANewCheckout() throws Exception {
        send(harness, checkoutStarted(ALICE, T0, "o1", 40.0), checkoutStarted(ALICE, T0_PLUS_2H, "o2", 50.0));

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(t -> t.context.orderId).containsExactly("o1", "o2");
    }

    @Test
    void valueFallsBackToRevenue() throws Exception {
        ShopperEvent checkout = checkoutStarted(ALICE, T0, "o1", 0);
        checkout.value = null;
        checkout.revenue = 12.0;
        send(harness, checkout);

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(t -> t.context.value).containsExactly(12.0);
    }

    @Test
    void stateAndTimersAreGoneOnceTheWatermarkPassesEverything() throws Exception {
        send(harness,
                checkoutStarted(ALICE, T0, "o1", 40.0),
                checkoutStarted(ALICE, T0 + MINUTE, "o1", 40.0),
                checkoutStarted(BOB, T0, "o2", 40.0),
                orderCompleted(BOB, T0_PLUS_10M, "o2", 40.0));
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(T0_PLUS_1D);
        assertThat(drain(harness)).extracting(t -> t.userId).containsExactly(ALICE);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
