package io.liftstream.triggers;

import static io.liftstream.triggers.TriggerFixtures.ALICE;
import static io.liftstream.triggers.TriggerFixtures.DAY;
import static io.liftstream.triggers.TriggerFixtures.T0;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_10M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_1M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_20M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_2M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_30M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_3M;
import static io.liftstream.triggers.TriggerFixtures.T0_PLUS_5M;
import static io.liftstream.triggers.TriggerFixtures.orderCompleted;
import static io.liftstream.triggers.TriggerFixtures.productAdded;
import static io.liftstream.triggers.TriggerFixtures.productRemoved;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.ShopperEvent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Golden cart arithmetic: the cart at an instant, and which ledger entries are still needed. */
class CartLedgerTest {

    @Test
    void anEmptyLedgerIsAnEmptyCart() {
        TriggerContext cart = CartLedger.cartAt(List.of(), T0);

        assertThat(cart.items).isEmpty();
        assertThat(cart.itemCount).isZero();
        assertThat(cart.value).isNull();
        assertThat(cart.firstAddedAt).isNull();
        assertThat(cart.lastAddedAt).isNull();
    }

    @Test
    void addsOfOneProductAccumulateAtTheLatestPrice() {
        TriggerContext cart = CartLedger.cartAt(List.of(
                productAdded(ALICE, T0, "p1", 10.0, 1),
                productAdded(ALICE, T0_PLUS_1M, "p2", 0.1, 3),
                productAdded(ALICE, T0_PLUS_2M, "p1", 12.0, 2)), T0_PLUS_30M);

        assertThat(cart.items).containsExactly(new CartLine("p1", null, 3, 12.0), new CartLine("p2", null, 3, 0.1));
        assertThat(cart.itemCount).isEqualTo(6);
        // 3 × 12.0 + 3 × 0.1, rounded to 6 decimals (no 36.300000000000004).
        assertThat(cart.value).isEqualTo(36.3);
        assertThat(cart.currency).isEqualTo("EUR");
        assertThat(cart.cartId).isEqualTo("cart-" + ALICE);
        assertThat(cart.firstAddedAt).isEqualTo(T0);
        assertThat(cart.lastAddedAt).isEqualTo(T0_PLUS_2M);
    }

    @Test
    void onlyEventsStrictlyBeforeTheInstantCount() {
        List<ShopperEvent> ledger = List.of(
                productAdded(ALICE, T0, "p1", 10.0, 1),
                productAdded(ALICE, T0_PLUS_30M, "p2", 10.0, 1),
                productRemoved(ALICE, T0_PLUS_30M, "p1"));

        TriggerContext cart = CartLedger.cartAt(ledger, T0_PLUS_30M);

        assertThat(cart.items).containsExactly(new CartLine("p1", null, 1, 10.0));
        assertThat(CartLedger.cartAt(ledger, T0_PLUS_30M + 1).items).containsExactly(new CartLine("p2", null, 1, 10.0));
    }

    @Test
    void removalsTakeUnitsOrTheWholeLine() {
        TriggerContext cart = CartLedger.cartAt(List.of(
                productAdded(ALICE, T0, "p1", 10.0, 3),
                productAdded(ALICE, T0_PLUS_1M, "p2", 5.0, 2),
                productAdded(ALICE, T0_PLUS_1M + 1, "p3", 1.0, 1),
                productRemoved(ALICE, T0_PLUS_2M, "p1", 2),
                productRemoved(ALICE, T0_PLUS_3M, "p2"),
                productRemoved(ALICE, T0_PLUS_5M, "p3", 5),
                productRemoved(ALICE, T0_PLUS_5M + 1, "unknown", 1)), T0_PLUS_30M);

        assertThat(cart.items).containsExactly(new CartLine("p1", null, 1, 10.0));
        assertThat(cart.itemCount).isEqualTo(1);
        assertThat(cart.value).isEqualTo(10.0);
        // Add times describe the adds, whatever was removed since.
        assertThat(cart.firstAddedAt).isEqualTo(T0);
        assertThat(cart.lastAddedAt).isEqualTo(T0_PLUS_1M + 1);
    }

    @Test
    void aCartEmptiedByRemovalsIsEmpty() {
        TriggerContext cart = CartLedger.cartAt(List.of(
                productAdded(ALICE, T0, "p1", 10.0, 2),
                productRemoved(ALICE, T0_PLUS_1M, "p1", 1),
                productRemoved(ALICE, T0_PLUS_2M, "p1", 1)), T0_PLUS_30M);

        assertThat(cart.items).isEmpty();
        assertThat(cart.itemCount).isZero();
    }

    @Test
    void theCartStartsAfterTheLastOrderAndAnEventAtTheOrdersMillisecondBelongsToIt() {
        TriggerContext cart = CartLedger.cartAt(List.of(
                productAdded(ALICE, T0, "p1", 10.0, 1),
                orderCompleted(ALICE, T0_PLUS_5M, "o1", 10.0),
                productAdded(ALICE, T0_PLUS_5M, "p2", 10.0, 1),
                productAdded(ALICE, T0_PLUS_10M, "p3", 3.0, 1),
                orderCompleted(ALICE, T0_PLUS_30M, "o2", 3.0)), T0_PLUS_30M);

        assertThat(cart.items).containsExactly(new CartLine("p3", null, 1, 3.0));
        assertThat(cart.firstAddedAt).isEqualTo(T0_PLUS_10M);
    }

    @Test
    void theCartDoesNotDependOnArrivalOrder() {
        List<ShopperEvent> inOrder = List.of(
                productAdded(ALICE, T0, "p1", 10.0, 2),
                productRemoved(ALICE, T0_PLUS_1M, "p1", 1),
                productAdded(ALICE, T0_PLUS_2M, "p2", 4.0, 1),
                orderCompleted(ALICE, T0_PLUS_3M, "o1", 14.0),
                productAdded(ALICE, T0_PLUS_5M, "p3", 2.5, 2),
                productAdded(ALICE, T0_PLUS_10M, "p1", 10.0, 1),
                productRemoved(ALICE, T0_PLUS_20M, "p3", 1));
        List<ShopperEvent> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);

        TriggerContext expected = CartLedger.cartAt(inOrder, T0_PLUS_30M);
        assertThat(expected.items).containsExactly(new CartLine("p3", null, 1, 2.5), new CartLine("p1", null, 1, 10.0));
        assertThat(CartLedger.cartAt(reversed, T0_PLUS_30M)).isEqualTo(expected);
    }

    @Test
    void unpricedCartsHaveNoValue() {
        ShopperEvent add = productAdded(ALICE, T0, "p1", 0, 1);
        add.price = null;
        add.quantity = null;

        TriggerContext cart = CartLedger.cartAt(List.of(add), T0_PLUS_30M);

        assertThat(cart.items).containsExactly(new CartLine("p1", null, 1, null));
        assertThat(cart.value).isNull();
    }

    @Test
    void aSkuIdentifiesAProductWithoutAProductId() {
        ShopperEvent add = productAdded(ALICE, T0, null, 2.0, 1);
        add.sku = "SKU-1";
        ShopperEvent again = productAdded(ALICE, T0_PLUS_1M, null, 2.0, 1);
        again.sku = "SKU-1";

        TriggerContext cart = CartLedger.cartAt(List.of(add, again), T0_PLUS_30M);

        assertThat(cart.items).containsExactly(new CartLine(null, "SKU-1", 2, 2.0));
    }

    @Test
    void retainedKeepsWhatFollowsTheLastPastOrder() {
        ShopperEvent afterOrder = productAdded(ALICE, T0_PLUS_10M, "p2", 1.0, 1);
        ShopperEvent futureOrder = orderCompleted(ALICE, T0_PLUS_30M, "o2", 1.0);
        List<ShopperEvent> ledger = List.of(
                productAdded(ALICE, T0, "p1", 1.0, 1),
                orderCompleted(ALICE, T0_PLUS_5M, "o1", 1.0),
                afterOrder,
                futureOrder);

        assertThat(CartLedger.retained(ledger, T0_PLUS_20M, 30 * DAY)).containsExactly(afterOrder, futureOrder);
        assertThat(CartLedger.retained(ledger, T0_PLUS_30M, 30 * DAY)).isEmpty();
    }

    @Test
    void retainedForgetsWhatIsOlderThanTheRetention() {
        ShopperEvent old = productAdded(ALICE, T0, "p1", 1.0, 1);
        ShopperEvent recent = productRemoved(ALICE, T0 + DAY, "p1");

        assertThat(CartLedger.retained(List.of(old, recent), T0 + 30 * DAY - 1, 30 * DAY)).containsExactly(old, recent);
        assertThat(CartLedger.retained(List.of(old, recent), T0 + 30 * DAY, 30 * DAY)).containsExactly(recent);
        assertThat(CartLedger.retained(List.of(old, recent), T0 + 31 * DAY, 30 * DAY)).isEmpty();
    }
}
