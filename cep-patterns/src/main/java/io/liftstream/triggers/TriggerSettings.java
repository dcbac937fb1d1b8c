package io.liftstream.triggers;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Validated, immutable trigger parameters (see {@link TriggerOptions} for meanings and defaults). */
public final class TriggerSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Set<TriggerType> enabled;
    public final Duration cartTimeout;
    public final Duration cartRetention;
    public final Duration checkoutTimeout;
    public final int browseViews;
    public final Duration browseTimeout;
    public final int spikeCount;
    public final Duration spikeWindow;
    public final TriggerEngine engine;
    public final int progressCache;

    private TriggerSettings(ReadableConfig config) {
        EnumSet<TriggerType> types = EnumSet.noneOf(TriggerType.class);
        for (String id : config.get(TriggerOptions.ENABLED)) {
            types.add(TriggerType.ofId(id.trim()));
        }
        this.enabled = Collections.unmodifiableSet(types);
        this.cartTimeout = config.get(TriggerOptions.CART_ABANDONED_TIMEOUT);
        this.cartRetention = config.get(TriggerOptions.CART_RETENTION);
        this.checkoutTimeout = config.get(TriggerOptions.CHECKOUT_ABANDONED_TIMEOUT);
        this.browseViews = config.get(TriggerOptions.BROWSE_ABANDONED_VIEWS);
        this.browseTimeout = config.get(TriggerOptions.BROWSE_ABANDONED_TIMEOUT);
        this.spikeCount = config.get(TriggerOptions.ENGAGEMENT_SPIKE_COUNT);
        this.spikeWindow = config.get(TriggerOptions.ENGAGEMENT_SPIKE_WINDOW);
        this.engine = config.get(TriggerOptions.ENGINE);
        this.progressCache = config.get(TriggerOptions.PROGRESS_CACHE);
        validate();
    }

    /** Reads and validates the options; throws {@link IllegalArgumentException} naming every bad one. */
    public static TriggerSettings from(ReadableConfig config) {
        return new TriggerSettings(config);
    }

    public static TriggerSettings defaults() {
        return from(new Configuration());
    }

    public boolean isEnabled(TriggerType type) {
        return enabled.contains(type);
    }

    private void validate() {
        List<String> errors = new ArrayList<>();
        if (progressCache < 0) {
            errors.add(TriggerOptions.PROGRESS_CACHE.key() + " must be at least 0, was " + progressCache);
        }
        positive(errors, TriggerOptions.CART_ABANDONED_TIMEOUT.key(), cartTimeout);
        positive(errors, TriggerOptions.CART_RETENTION.key(), cartRetention);
        positive(errors, TriggerOptions.CHECKOUT_ABANDONED_TIMEOUT.key(), checkoutTimeout);
        positive(errors, TriggerOptions.BROWSE_ABANDONED_TIMEOUT.key(), browseTimeout);
        positive(errors, TriggerOptions.ENGAGEMENT_SPIKE_WINDOW.key(), spikeWindow);
        if (browseViews < 1) {
            errors.add(TriggerOptions.BROWSE_ABANDONED_VIEWS.key() + " must be at least 1, was " + browseViews);
        }
        if (spikeCount < 2) {
            errors.add(TriggerOptions.ENGAGEMENT_SPIKE_COUNT.key() + " must be at least 2, was " + spikeCount);
        }
        if (cartRetention.compareTo(cartTimeout) <= 0) {
            errors.add(TriggerOptions.CART_RETENTION.key() + " (" + cartRetention + ") must exceed "
                    + TriggerOptions.CART_ABANDONED_TIMEOUT.key() + " (" + cartTimeout + ")");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid trigger options: " + String.join("; ", errors));
        }
    }

    private static void positive(List<String> errors, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            errors.add(key + " must be positive, was " + d);
        }
    }
}
