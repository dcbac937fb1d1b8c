package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.DAY;
import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_10M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_20M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2H;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerFixtures.orderCompleted;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productRemoved;
import static io.liftstream.triggers.TriggerHarnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * {@link CartContextFunction} on its own: cart events on input 1, silences (as the CEP pattern would
 * emit them) on input 2. Pins the cart a trigger carries, that an emptied cart fires nothing, and
 * that the ledger and its timers are gone after an order or after the retention.
 */
class CartContextFunctionTest {
    private static final long TIMEOUT = 30 * MINUTE;
    private static final long RETENTION = 30 * DAY;

    private KeyedTwoInputStreamOperatorTestHarness<String, ShopperEvent, Silence, TriggerRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = TriggerHarnesses.cartContext(TriggerFixtures.defaults(), Backend.HEAP);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(ShopperEvent... events) throws Exception {
        for (ShopperEvent e : events) {
            harness.processElement1(e, e.timestamp);
        }
    }

    /** The silence the CEP pattern emits for {@code lastAdd}, detected by a watermark at {@code clock}. */
    private void silenceAfter(ShopperEvent lastAdd, long clock) throws Exception {
        long abandonedAt = lastAdd.timestamp + TIMEOUT;
        harness.processElement2(
                new Silence(lastAdd.userId, lastAdd.messageId, lastAdd.timestamp, abandonedAt, clock), clock);
    }

    private void silenceAfter(ShopperEvent lastAdd) throws Exception {
        silenceAfter(lastAdd, lastAdd.timestamp + TIMEOUT);
    }

    private List<TriggerRecord> advanceTo(long watermark) throws Exception {
        harness.processWatermark1(new Watermark(watermark));
        harness.processWatermark2(new Watermark(watermark));
        return drain(harness);
    }

    @Test
    void theTriggerCarriesTheCart() throws Exception {
        ShopperEvent last = productAdded(ALICE, T0_PLUS_5M, "p2", 5.5, 1);
        send(productAdded(ALICE, T0, "p1", 10.0, 2), last);
        silenceAfter(last);

        assertThat(advanceTo(T0_PLUS_5M + TIMEOUT - 1)).isEmpty();
        List<TriggerRecord> out = advanceTo(T0_PLUS_5M + TIMEOUT);
        assertThat(out).hasSize(1);
        TriggerRecord t = out.get(0);
        assertThat(t.trigger).isEqualTo("cart_abandoned");
        assertThat(t.userId).isEqualTo(ALICE);
        assertThat(t.anchorMessageId).isEqualTo(last.messageId);
        assertThat(t.triggerId).isEqualTo(TriggerIds.of(ALICE, TriggerType.CART_ABANDONED, last.messageId));
        assertThat(t.eventTime).isEqualTo(T0_PLUS_5M + TIMEOUT);
        assertThat(t.detectedAt).isEqualTo(T0_PLUS_5M + TIMEOUT);
        assertThat(t.context.items).containsExactly(
                new CartLine("p1", null, 2, 10.0), new CartLine("p2", null, 1, 5.5));
        assertThat(t.context.itemCount).isEqualTo(3);
        assertThat(t.context.value).isEqualTo(25.5);
        assertThat(t.context.currency).isEqualTo("EUR");
        assertThat(t.context.cartId).isEqualTo("cart-" + ALICE);
        assertThat(t.context.firstAddedAt).isEqualTo(T0);
        assertThat(t.context.lastAddedAt).isEqualTo(T0_PLUS_5M);
    }

    @Test
    void detectedAtIsTheClockOfTheCepOperatorWhenItWasLate() throws Exception {
        ShopperEvent add = productAdded(ALICE, T0, "p1", 10.0, 1);
        send(add);
        silenceAfter(add, T0_PLUS_2H);

        List<TriggerRecord> out = advanceTo(T0_PLUS_2H);
        assertThat(out).extracting(t -> t.eventTime).containsExactly(T0_PLUS_30M);
        assertThat(out).extracting(t -> t.detectedAt).containsExactly(T0_PLUS_2H);
    }

    @Test
    void partialRemovalsAreReflectedIncludingRemovalsAfterTheLastAdd() throws Exception {
        ShopperEvent last = productAdded(ALICE, T0_PLUS_2M, "p3", 1.0, 4);
        send(
                productAdded(ALICE, T0, "p1", 10.0, 3),
                productAdded(ALICE, T0_PLUS_1M, "p2", 5.0, 1),
                productRemoved(ALICE, T0_PLUS_1M + 1, "p1", 1),
                last,
                // After the last add: a partial removal of p3, and p2's whole line.
                productRemoved(ALICE, T0_PLUS_10M, "p3", 3),
                productRemoved(ALICE, T0_PLUS_20M, "p2"));
        silenceAfter(last);

        List<TriggerRecord> out = advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        TriggerContext cart = out.get(0).context;
        assertThat(cart.items).containsExactly(new CartLine("p1", null, 2, 10.0), new CartLine("p3", null, 1, 1.0));
        assertThat(cart.itemCount).isEqualTo(3);
        assertThat(cart.value).isEqualTo(21.0);
        assertThat(cart.firstAddedAt).isEqualTo(T0);
        assertThat(cart.lastAddedAt).isEqualTo(T0_PLUS_2M);
    }

    @Test
    void aCartEmptiedByRemovalsFiresNothing() throws Exception {
        ShopperEvent last = productAdded(ALICE, T0_PLUS_1M, "p2", 5.0, 2);
        send(
                productAdded(ALICE, T0, "p1", 10.0, 1),
                last,
                productRemoved(ALICE, T0_PLUS_2M, "p1"),
                productRemoved(ALICE, T0_PLUS_5M, "p2", 2));
        silenceAfter(last);

        assertThat(advanceTo(T0_PLUS_1D)).isEmpty();
    }

    @Test
    void aRemovalAtOrAfterTheAbandonmentInstantDoesNotCount() throws Exception {
        ShopperEvent add = productAdded(ALICE, T0, "p1", 10.0, 1);
        send(add, productRemoved(ALICE, T0_PLUS_30M, "p1"));
        silenceAfter(add);

        assertThat(advanceTo(T0_PLUS_1D)).extracting(t -> t.context.itemCount).containsExactly(1);
    }

    @Test
    void theCartIsTheSameWhateverTheArrivalOrder() throws Exception {
        ShopperEvent last = productAdded(ALICE, T0_PLUS_2M, "p2", 5.0, 1);
        // The removal arrives before the add it removes from.
        send(last, productRemoved(ALICE, T0_PLUS_1M, "p1", 1), productAdded(ALICE, T0, "p1", 10.0, 2));
        silenceAfter(last);

        List<TriggerRecord> out = advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.items)
                .containsExactly(new CartLine("p1", null, 1, 10.0), new CartLine("p2", null, 1, 5.0));
        assertThat(out.get(0).context.firstAddedAt).isEqualTo(T0);
    }

    @Test
    void anOrderCompletedResetsTheCart() throws Exception {
        ShopperEvent after = productAdded(ALICE, T0_PLUS_2H, "p2", 5.0, 1);
        send(
                productAdded(ALICE, T0, "p1", 10.0, 1),
                orderCompleted(ALICE, T0_PLUS_10M, "o1", 10.0),
                after);
        silenceAfter(after);

        List<TriggerRecord> out = advanceTo(T0_PLUS_1D);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).context.items).containsExactly(new CartLine("p2", null, 1, 5.0));
        assertThat(out.get(0).context.firstAddedAt).isEqualTo(T0_PLUS_2H);
    }

    @Test
    void twoSilencesDueAtOnceEachGetTheirOwnCart() throws Exception {
        ShopperEvent first = productAdded(ALICE, T0, "p1", 10.0, 1);
        ShopperEvent second = productAdded(ALICE, T0_PLUS_30M, "p2", 5.0, 1);
        send(first, second);
        silenceAfter(first, T0_PLUS_1D);
        silenceAfter(second, T0_PLUS_1D);

        List<TriggerRecord> out = advanceTo(T0_PLUS_1D);
        assertThat(out).extracting(t -> t.context.itemCount).containsExactly(1, 2);
        assertThat(out).extracting(t -> t.eventTime).containsExactly(T0_PLUS_30M, T0_PLUS_30M + TIMEOUT);
    }

    @Test
    void usersHaveTheirOwnCarts() throws Exception {
        ShopperEvent alice = productAdded(ALICE, T0, "p1", 10.0, 1);
        ShopperEvent bob = productAdded(BOB, T0, "p2", 20.0, 1);
        send(alice, bob, orderCompleted(BOB, T0_PLUS_1M, "o1", 20.0));
        silenceAfter(alice);

        List<TriggerRecord> out = advanceTo(T0_PLUS_1D);
        assertThat(out).extracting(t -> t.userId).containsExactly(ALICE);
        assertThat(out.get(0).context.items).containsExactly(new CartLine("p1", null, 1, 10.0));
    }

    @Test
    void anOrderClearsTheLedgerAndOnlyRetentionTimersRemainUntilTheyFire() throws Exception {
        ShopperEvent add = productAdded(ALICE, T0, "p1", 10.0, 1);
        send(add, productRemoved(ALICE, T0_PLUS_1M, "p1"), productAdded(ALICE, T0_PLUS_2M, "p1", 10.0, 1),
                orderCompleted(ALICE, T0_PLUS_5M, "o1", 10.0));

        advanceTo(T0_PLUS_1D);
        assertThat(harness.numKeyedStateEntries()).isZero();

        advanceTo(T0_PLUS_30D + T0_PLUS_2M - T0);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void withoutAnOrderTheLedgerIsKeptUntilTheRetentionThenGone() throws Exception {
        ShopperEvent last = productAdded(ALICE, T0_PLUS_1M, "p2", 5.0, 1);
        send(productAdded(ALICE, T0, "p1", 10.0, 1), last, productRemoved(ALICE, T0_PLUS_5M, "p1"));
        silenceAfter(last);

        assertThat(advanceTo(T0_PLUS_1D)).hasSize(1);
        // The cart is kept for a later silence (re-entry) until the retention.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isPositive();

        advanceTo(T0 + RETENTION + T0_PLUS_5M - T0 - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        advanceTo(T0 + RETENTION + T0_PLUS_5M - T0);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aLedgerOfRemovalsOnlyIsGoneAfterTheRetention() throws Exception {
        send(productRemoved(ALICE, T0, "p1"), productRemoved(ALICE, T0_PLUS_1M, "p2", 1));

        advanceTo(T0_PLUS_1M + RETENTION);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
