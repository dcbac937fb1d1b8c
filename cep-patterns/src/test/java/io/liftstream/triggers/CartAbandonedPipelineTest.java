package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.BOB;
import static io.liftstream.triggers.TriggerFixtures.DAY;
import static io.liftstream.triggers.TriggerFixtures.MINUTE;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_10M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_20M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2H;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30D;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_40M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_60M;
import static io.liftstream.triggers.TriggerFixtures.orderCompleted;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productRemoved;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.TriggerHarnesses.Backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

/**
 * cart_abandoned end to end through its two operators ({@link SilencePipeline}): the pattern finds the
 * silence, {@link CartContextFunction} attaches the cart. Pins re-entry, the boundary, order resets,
 * emptied carts, state hygiene, and that a partial match survives a snapshot and restore on both
 * state backends and still fires exactly once.
 */
class CartAbandonedPipelineTest {
    private static final long TIMEOUT = 30 * MINUTE;

    private static SilencePipeline<Silence> open() throws Exception {
        return SilencePipeline.cart(TriggerFixtures.defaults(), Backend.HEAP);
    }

    @Test
    void aLaterAddAfterATriggerFiresASecondTriggerWithTheWholeCartSinceTheLastOrder() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            ShopperEvent first = productAdded(ALICE, T0, "p1", 10.0, 1);
            cart.send(first);
            List<TriggerRecord> one = cart.advanceTo(T0_PLUS_30M);
            assertThat(one).hasSize(1);
            assertThat(one.get(0).context.items).containsExactly(new CartLine("p1", null, 1, 10.0));

            ShopperEvent second = productAdded(ALICE, T0_PLUS_2H, "p2", 5.0, 2);
            cart.send(second);
            assertThat(cart.advanceTo(T0_PLUS_2H + TIMEOUT - 1)).isEmpty();
            List<TriggerRecord> two = cart.advanceTo(T0_PLUS_2H + TIMEOUT);
            assertThat(two).hasSize(1);
            TriggerRecord t = two.get(0);
            assertThat(t.anchorMessageId).isEqualTo(second.messageId);
            assertThat(t.triggerId).isNotEqualTo(one.get(0).triggerId);
            assertThat(t.context.items)
                    .containsExactly(new CartLine("p1", null, 1, 10.0), new CartLine("p2", null, 2, 5.0));
            assertThat(t.context.itemCount).isEqualTo(3);
            assertThat(t.context.value).isEqualTo(20.0);
            assertThat(t.context.firstAddedAt).isEqualTo(T0);
            assertThat(t.context.lastAddedAt).isEqualTo(T0_PLUS_2H);

            assertThat(cart.advanceTo(T0_PLUS_1D)).isEmpty();
        }
    }

    @Test
    void anAddAtExactlyLastAddPlusTimeoutDoesNotPreventTheTriggerAndStartsANewSilence() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            cart.send(productAdded(ALICE, T0, "p1", 10.0, 1), productAdded(ALICE, T0_PLUS_30M, "p2", 5.0, 1));

            assertThat(cart.advanceTo(T0_PLUS_30M - 1)).isEmpty();
            List<TriggerRecord> first = cart.advanceTo(T0_PLUS_30M);
            assertThat(first).hasSize(1);
            assertThat(first.get(0).eventTime).isEqualTo(T0_PLUS_30M);
            // The add at the abandonment instant is not part of the abandoned cart.
            assertThat(first.get(0).context.items).containsExactly(new CartLine("p1", null, 1, 10.0));

            assertThat(cart.advanceTo(T0_PLUS_60M - 1)).isEmpty();
            List<TriggerRecord> second = cart.advanceTo(T0_PLUS_60M);
            assertThat(second).hasSize(1);
            assertThat(second.get(0).context.itemCount).isEqualTo(2);
            assertThat(second.get(0).context.lastAddedAt).isEqualTo(T0_PLUS_30M);
        }
    }

    @Test
    void anOrderCompletedPreventsTheTriggerAndResetsTheCart() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            cart.send(
                    productAdded(ALICE, T0, "p1", 10.0, 1),
                    orderCompleted(ALICE, T0_PLUS_10M, "o1", 10.0),
                    productAdded(ALICE, T0_PLUS_2H, "p2", 5.0, 1));

            List<TriggerRecord> out = cart.advanceTo(T0_PLUS_1D);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).eventTime).isEqualTo(T0_PLUS_2H + TIMEOUT);
            assertThat(out.get(0).context.items).containsExactly(new CartLine("p2", null, 1, 5.0));
        }
    }

    @Test
    void aCartEmptiedByRemovalsFiresNothing() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            cart.send(
                    productAdded(ALICE, T0, "p1", 10.0, 2),
                    productRemoved(ALICE, T0_PLUS_5M, "p1", 1),
                    productRemoved(ALICE, T0_PLUS_10M, "p1", 1));

            assertThat(cart.advanceTo(T0_PLUS_1D)).isEmpty();
        }
    }

    @Test
    void removalsAfterTheLastAddShrinkTheCart() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            cart.send(
                    productAdded(ALICE, T0, "p1", 10.0, 2),
                    productAdded(ALICE, T0_PLUS_5M, "p2", 3.0, 1),
                    productRemoved(ALICE, T0_PLUS_20M, "p1", 1));

            List<TriggerRecord> out = cart.advanceTo(T0_PLUS_1D);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).context.items)
                    .containsExactly(new CartLine("p1", null, 1, 10.0), new CartLine("p2", null, 1, 3.0));
            assertThat(out.get(0).context.value).isEqualTo(13.0);
        }
    }

    @Test
    void stateAndTimersAreGoneAfterAnOrderOnceTheRetentionTimersHaveFired() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            cart.send(
                    productAdded(ALICE, T0, "p1", 10.0, 1),
                    productRemoved(ALICE, T0_PLUS_5M, "p1"),
                    productAdded(ALICE, T0_PLUS_10M, "p1", 10.0, 1),
                    orderCompleted(ALICE, T0_PLUS_20M, "o1", 10.0),
                    productAdded(BOB, T0, "p2", 1.0, 1),
                    orderCompleted(BOB, T0_PLUS_40M, "o2", 1.0));

            assertThat(cart.advanceTo(T0_PLUS_1D)).extracting(t -> t.userId).containsExactly(BOB);
            assertThat(cart.cepStateEntries()).isZero();
            assertThat(cart.cepTimers()).isZero();
            assertThat(cart.contextStateEntries()).isZero();

            cart.advanceTo(T0_PLUS_30D + T0_PLUS_10M - T0);
            assertThat(cart.contextStateEntries()).isZero();
            assertThat(cart.contextTimers()).isZero();
        }
    }

    @Test
    void withoutAnOrderTheCartIsRetainedUntilTheRetentionThenEverythingIsGone() throws Exception {
        try (SilencePipeline<Silence> cart = open()) {
            cart.send(
                    productAdded(ALICE, T0, "p1", 10.0, 1),
                    productAdded(ALICE, T0_PLUS_5M, "p2", 10.0, 1),
                    productRemoved(ALICE, T0_PLUS_10M, "p1"));

            assertThat(cart.advanceTo(T0_PLUS_1D)).hasSize(1);
            assertThat(cart.cepStateEntries()).isZero();
            assertThat(cart.cepTimers()).isZero();
            assertThat(cart.contextStateEntries()).isEqualTo(1);

            cart.advanceTo(T0_PLUS_30D + T0_PLUS_10M - T0);
            assertThat(cart.contextStateEntries()).isZero();
            assertThat(cart.contextTimers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPartialMatchSurvivesSnapshotAndRestoreAndFiresOnce(Backend backend) throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        ShopperEvent last = productAdded(ALICE, T0_PLUS_5M, "p2", 5.0, 1);
        SilencePipeline.Snapshot snapshot;
        try (SilencePipeline<Silence> cart = SilencePipeline.cart(settings, backend)) {
            cart.send(productAdded(ALICE, T0, "p1", 10.0, 2), last);
            // One event still buffered in the CEP operator (beyond the watermark) at the snapshot.
            cart.send(productRemoved(ALICE, T0_PLUS_20M, "p1", 1));
            assertThat(cart.advanceTo(T0_PLUS_10M)).isEmpty();
            // The partial match (NFA state, shared-buffer event and node) plus the buffered removal;
            // the cart ledger.
            assertThat(cart.cepStateEntries()).isEqualTo(4);
            assertThat(cart.contextStateEntries()).isEqualTo(1);
            snapshot = cart.snapshot(1L, T0_PLUS_10M);
        }

        try (SilencePipeline<Silence> restored = SilencePipeline.restoreCart(settings, backend, snapshot)) {
            assertThat(restored.cepStateEntries()).isEqualTo(4);
            assertThat(restored.contextStateEntries()).isEqualTo(1);
            assertThat(restored.cepTimers()).isPositive();
            assertThat(restored.advanceTo(T0_PLUS_5M + TIMEOUT - 1)).isEmpty();

            List<TriggerRecord> out = restored.advanceTo(T0_PLUS_5M + TIMEOUT);
            assertThat(out).hasSize(1);
            TriggerRecord t = out.get(0);
            assertThat(t.anchorMessageId).isEqualTo(last.messageId);
            assertThat(t.eventTime).isEqualTo(T0_PLUS_5M + TIMEOUT);
            assertThat(t.context.items)
                    .containsExactly(new CartLine("p1", null, 1, 10.0), new CartLine("p2", null, 1, 5.0));

            assertThat(restored.advanceTo(T0_PLUS_1D)).isEmpty();
            assertThat(restored.cepStateEntries()).isZero();
            assertThat(restored.cepTimers()).isZero();

            restored.advanceTo(T0_PLUS_1D + 31 * DAY);
            assertThat(restored.contextStateEntries()).isZero();
            assertThat(restored.contextTimers()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSnapshotOfAnEmptyPipelineRestoresToNothing(Backend backend) throws Exception {
        TriggerSettings settings = TriggerFixtures.defaults();
        SilencePipeline.Snapshot snapshot;
        try (SilencePipeline<Silence> cart = SilencePipeline.cart(settings, backend)) {
            cart.send(productAdded(ALICE, T0, "p1", 10.0, 1), orderCompleted(ALICE, T0_PLUS_5M, "o1", 10.0));
            cart.advanceTo(T0_PLUS_40M);
            snapshot = cart.snapshot(1L, T0_PLUS_40M);
        }
        try (SilencePipeline<Silence> restored = SilencePipeline.restoreCart(settings, backend, snapshot)) {
            assertThat(restored.advanceTo(T0_PLUS_1D)).isEmpty();
            assertThat(restored.cepStateEntries()).isZero();
        }
    }
}
