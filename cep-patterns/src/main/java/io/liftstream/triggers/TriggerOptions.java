package io.liftstream.triggers;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/**
 * Typed options of the trigger patterns, settable in {@code config.yaml} or with
 * {@code -D key=value} on the command line. {@link TriggerSettings#from} validates them.
 */
public final class TriggerOptions {
    private TriggerOptions() {}

    public static final ConfigOption<List<String>> ENABLED =
            ConfigOptions.key("liftstream.triggers.enabled")
                    .stringType()
                    .asList()
                    .defaultValues("cart_abandoned", "checkout_abandoned", "browse_abandoned", "engagement_spike")
                    .withDescription("The triggers to detect (semicolon-separated in config.yaml).");

    public static final ConfigOption<Duration> CART_ABANDONED_TIMEOUT =
            ConfigOptions.key("liftstream.triggers.cart-abandoned.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "Event-time silence after a user's last Product Added (no further Product Added, no "
                                    + "Order Completed) after which cart_abandoned fires. An event at exactly "
                                    + "last add + timeout does not prevent the trigger.");

    public static final ConfigOption<Duration> CART_RETENTION =
            ConfigOptions.key("liftstream.triggers.cart-abandoned.cart-retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "Cart changes older than this (event time) are forgotten even without an Order "
                                    + "Completed; bounds the cart ledger state of users who never buy.");

    public static final ConfigOption<Duration> CHECKOUT_ABANDONED_TIMEOUT =
            ConfigOptions.key("liftstream.triggers.checkout-abandoned.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(60))
                    .withDescription(
                            "Event time after the last Checkout Started without an Order Completed after "
                                    + "which checkout_abandoned fires. A repeated Checkout Started (a further "
                                    + "checkout step) restarts the timeout, so one abandoned checkout fires once.");

    public static final ConfigOption<Integer> BROWSE_ABANDONED_VIEWS =
            ConfigOptions.key("liftstream.triggers.browse-abandoned.views")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Minimum Product Viewed events in a browsing run for browse_abandoned.");

    public static final ConfigOption<Duration> BROWSE_ABANDONED_TIMEOUT =
            ConfigOptions.key("liftstream.triggers.browse-abandoned.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "Silence after the last view (no view, no Product Added, no Order Completed) "
                                    + "after which browse_abandoned fires; a gap of this length between two "
                                    + "views also ends a browsing run.");

    public static final ConfigOption<Integer> ENGAGEMENT_SPIKE_COUNT =
            ConfigOptions.key("liftstream.triggers.engagement-spike.count")
                    .intType()
                    .defaultValue(20)
                    .withDescription("Events by one user within the window that make an engagement_spike.");

    public static final ConfigOption<Duration> ENGAGEMENT_SPIKE_WINDOW =
            ConfigOptions.key("liftstream.triggers.engagement-spike.window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "Window for engagement_spike: the first and the count-th event lie less than "
                                    + "this apart; after a spike the user gets no other spike for this long.");

    public static final ConfigOption<DenseTriggerEngine> DENSE_TRIGGER_ENGINE =
            ConfigOptions.key("liftstream.triggers.dense-engine")
                    .enumType(DenseTriggerEngine.class)
                    .defaultValue(DenseTriggerEngine.KEYED)
                    .withDescription(
                            "How browse_abandoned and engagement_spike, the triggers that read most events, are "
                                    + "detected: KEYED (keyed event-time state machines; the same triggers as the "
                                    + "CEP patterns at a fraction of the cost on RocksDB, see BENCHMARKS.md) or CEP "
                                    + "(the Flink CEP patterns). cart_abandoned and checkout_abandoned always use "
                                    + "CEP. The two engines use different operator uids: a savepoint restores only "
                                    + "into the engine that took it.");
}
