package io.liftstream.triggers;

import static io.liftstream.events.EventType.CHECKOUT_STARTED;
import static io.liftstream.events.EventType.ORDER_COMPLETED;
import static io.liftstream.events.EventType.PRODUCT_ADDED;
import static io.liftstream.events.EventType.PRODUCT_VIEWED;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;

/**
 * The trigger patterns, in event time, for a stream keyed by user. Every pattern is bounded by a
 * {@code within} so that partial matches of users who go quiet are pruned by the watermark.
 *
 * <p>Boundary shared by all silence patterns: CEP advances time to an event's timestamp before it
 * processes the event, so a partial match whose timeout ends exactly at an event's timestamp has
 * already fired: an event at exactly {@code anchor + timeout} does not prevent the trigger.
 */
public final class TriggerPatterns {
    private TriggerPatterns() {}

    /** Stage names, used to read matches. */
    static final String ADD = "add";
    static final String CHECKOUT = "checkout";
    static final String VIEWS = "views";
    static final String BURST = "burst";

    /**
     * A Product Added followed by {@code timeout} with neither another Product Added nor an Order
     * Completed. Each add starts a partial match that the next add kills, so only the last add of a
     * silence matches: exactly one match per silence, and a later add starts a new one.
     */
    public static Pattern<ShopperEvent, ShopperEvent> cartAbandoned(TriggerSettings s) {
        return Pattern.<ShopperEvent>begin(ADD, AfterMatchSkipStrategy.noSkip())
                .where(EventConditions.anyOf(PRODUCT_ADDED))
                .notFollowedBy("cart-activity")
                .where(EventConditions.anyOf(PRODUCT_ADDED, ORDER_COMPLETED))
                .within(s.cartTimeout);
    }

    /**
     * A Checkout Started not followed, within {@code timeout}, by an Order Completed. A further
     * Checkout Started (another checkout step) restarts the timeout, so one abandoned checkout fires
     * once, anchored on its last checkout event.
     */
    public static Pattern<ShopperEvent, ShopperEvent> checkoutAbandoned(TriggerSettings s) {
        return Pattern.<ShopperEvent>begin(CHECKOUT, AfterMatchSkipStrategy.noSkip())
                .where(EventConditions.anyOf(CHECKOUT_STARTED))
                .notFollowedBy("checkout-progress")
                .where(EventConditions.anyOf(CHECKOUT_STARTED, ORDER_COMPLETED))
                .within(s.checkoutTimeout);
    }

    /**
     * A browsing run of at least {@code views} Product Viewed, consecutive views less than
     * {@code timeout} apart with no Product Added or Order Completed among them, then {@code
     * timeout} after the last view with no view, add or order. Other events neither extend nor break
     * the run. Skipping past the last event keeps one match per run (the longest).
     */
    public static Pattern<ShopperEvent, ShopperEvent> browseAbandoned(TriggerSettings s) {
        return Pattern.<ShopperEvent>begin(VIEWS, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(EventConditions.anyOf(PRODUCT_VIEWED))
                .timesOrMore(s.browseViews, s.browseTimeout)
                .greedy()
                .until(EventConditions.anyOf(PRODUCT_ADDED, ORDER_COMPLETED))
                .notFollowedBy("browse-activity")
                .where(EventConditions.anyOf(PRODUCT_VIEWED, PRODUCT_ADDED, ORDER_COMPLETED))
                .within(s.browseTimeout, WithinType.PREVIOUS_AND_CURRENT);
    }

    /**
     * {@code count} events by one user with the first and the last less than {@code window} apart.
     * Skipping past the last event starts the next spike from fresh events; {@link
     * SpikeCooldownFunction} then keeps spikes of one user at least a window apart.
     */
    public static Pattern<ShopperEvent, ShopperEvent> engagementSpike(TriggerSettings s) {
        return Pattern.<ShopperEvent>begin(BURST, AfterMatchSkipStrategy.skipPastLastEvent())
                .where(EventConditions.anyEvent())
                .times(s.spikeCount)
                .within(s.spikeWindow);
    }
}
