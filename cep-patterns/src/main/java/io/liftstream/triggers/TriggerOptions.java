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

    public static final ConfigOption<Integer> PROGRESS_CACHE =
            ConfigOptions.key("liftstream.triggers.progress-cache")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "Users per subtask whose trigger progress the keyed engine keeps on the heap between "
                                    + "events (least recently active evicted first); changes reach the state backend "
                                    + "at eviction and before every checkpoint. 0 reads and writes the state on every "
                                    + "step.");

    public static final ConfigOption<TriggerEngine> ENGINE =
            ConfigOptions.key("liftstream.triggers.engine")
                    .enumType(TriggerEngine.class)
                    .defaultValue(TriggerEngine.KEYED)
                    .withDeprecatedKeys("liftstream.triggers.dense-engine")
                    .withDescription(
                            "How the triggers are detected: KEYED (one keyed operator running an event-time state "
                                    + "machine per trigger; the same triggers as the CEP patterns, field by field, at a "
                                    + "fraction of the cost on RocksDB, see BENCHMARKS.md) or CEP (the Flink CEP "
                                    + "patterns, the reference definitions). The two engines use different operator "
                                    + "uids: a savepoint restores only into the engine that took it.");
}
