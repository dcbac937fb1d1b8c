package io.liftstream.triggers;

import static io.liftstream.events.EventType.CHECKOUT_STARTED;
import static io.liftstream.events.EventType.ORDER_COMPLETED;
import static io.liftstream.events.EventType.PRODUCT_ADDED;
import static io.liftstream.events.EventType.PRODUCT_VIEWED;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;

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
    static final String LAST_VIEW = "view";
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
     * A Product Viewed followed by {@code timeout} with no view, add or order: the last view of a
     * browsing run (consecutive views less than {@code timeout} apart, no add or order among them).
     * Like {@link #cartAbandoned}, each view starts a partial match that the next view, add or order
     * kills, so there is exactly one match per run. {@link BrowseAbandonedFunction} counts the run's
     * views and fires when there are at least {@code views}.
     *
     * <p>Why the run is not matched here (e.g. {@code timesOrMore(views).notFollowedBy(view, add,
     * order)}): Flink 2.2's NFA applies a trailing {@code notFollowedBy} between the iterations of a
     * looping stage too, so a second view discards the run; a match that ends in a looping stage
     * reaches the pending "not followed" state only on a later event; and the operator sets
     * watermark timers only at buffered events' timestamps and at a match's first event + the
     * first-to-last {@code within} (none for a {@code PREVIOUS_AND_CURRENT} window alone), so the
     * silence after the last view would be seen late or, for a user who never comes back, never.
     */
    public static Pattern<ShopperEvent, ShopperEvent> browseAbandoned(TriggerSettings s) {
        return Pattern.<ShopperEvent>begin(LAST_VIEW, AfterMatchSkipStrategy.noSkip())
                .where(EventConditions.anyOf(PRODUCT_VIEWED))
                .notFollowedBy("browse-activity")
                .where(EventConditions.anyOf(PRODUCT_VIEWED, PRODUCT_ADDED, ORDER_COMPLETED))
                .within(s.browseTimeout);
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
