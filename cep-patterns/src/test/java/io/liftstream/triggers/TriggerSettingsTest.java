package io.liftstream.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** Defaults, parsing and the validation messages of the trigger options. */
class TriggerSettingsTest {

    @Test
    void defaults() {
        TriggerSettings s = TriggerSettings.defaults();

        assertThat(s.enabled).containsExactlyInAnyOrder(TriggerType.values());
        assertThat(s.cartTimeout).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.cartRetention).isEqualTo(Duration.ofDays(30));
        assertThat(s.checkoutTimeout).isEqualTo(Duration.ofMinutes(60));
        assertThat(s.browseViews).isEqualTo(3);
        assertThat(s.browseTimeout).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.spikeCount).isEqualTo(20);
        assertThat(s.spikeWindow).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsOptionsAsWrittenInConfigYaml() {
        Configuration conf = Configuration.fromMap(java.util.Map.of(
                "liftstream.triggers.enabled", "cart_abandoned; engagement_spike",
                "liftstream.triggers.cart-abandoned.timeout", "45 min",
                "liftstream.triggers.engagement-spike.count", "5",
                "liftstream.triggers.engagement-spike.window", "30 s"));

        TriggerSettings s = TriggerSettings.from(conf);

        assertThat(s.enabled).containsExactlyInAnyOrder(TriggerType.CART_ABANDONED, TriggerType.ENGAGEMENT_SPIKE);
        assertThat(s.isEnabled(TriggerType.BROWSE_ABANDONED)).isFalse();
        assertThat(s.cartTimeout).isEqualTo(Duration.ofMinutes(45));
        assertThat(s.spikeCount).isEqualTo(5);
        assertThat(s.spikeWindow).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anUnknownTriggerIsNamed() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.ENABLED, List.of("cart_abandoned", "cart_abandonned"));

        assertThatThrownBy(() -> TriggerSettings.from(conf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown trigger 'cart_abandonned' (known: cart_abandoned, checkout_abandoned, "
                        + "browse_abandoned, engagement_spike)");
    }

    @Test
    void aNonPositiveDurationIsRejectedWithItsKey() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.CHECKOUT_ABANDONED_TIMEOUT, Duration.ZERO);

        assertThatThrownBy(() -> TriggerSettings.from(conf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid trigger options: liftstream.triggers.checkout-abandoned.timeout must be "
                        + "positive, was PT0S");
    }

    @Test
    void countsBelowTheirMinimumAreRejected() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.BROWSE_ABANDONED_VIEWS, 0);
        conf.set(TriggerOptions.ENGAGEMENT_SPIKE_COUNT, 1);

        assertThatThrownBy(() -> TriggerSettings.from(conf))
                .hasMessage("invalid trigger options: liftstream.triggers.browse-abandoned.views must be at least 1, "
                        + "was 0; liftstream.triggers.engagement-spike.count must be at least 2, was 1");
    }

    @Test
    void theRetentionMustExceedTheCartTimeout() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.CART_ABANDONED_TIMEOUT, Duration.ofHours(2));
        conf.set(TriggerOptions.CART_RETENTION, Duration.ofHours(2));

        assertThatThrownBy(() -> TriggerSettings.from(conf))
                .hasMessage("invalid trigger options: liftstream.triggers.cart-abandoned.cart-retention (PT2H) must "
                        + "exceed liftstream.triggers.cart-abandoned.timeout (PT2H)");
    }

    @Test
    void everyBadOptionIsReportedAtOnce() {
        Configuration conf = new Configuration();
        conf.set(TriggerOptions.CART_ABANDONED_TIMEOUT, Duration.ofMinutes(-1));
        conf.set(TriggerOptions.BROWSE_ABANDONED_TIMEOUT, Duration.ZERO);
        conf.set(TriggerOptions.ENGAGEMENT_SPIKE_WINDOW, Duration.ZERO);

        assertThatThrownBy(() -> TriggerSettings.from(conf))
                .hasMessage("invalid trigger options: "
                        + "liftstream.triggers.cart-abandoned.timeout must be positive, was PT-1M; "
                        + "liftstream.triggers.browse-abandoned.timeout must be positive, was PT0S; "
                        + "liftstream.triggers.engagement-spike.window must be positive, was PT0S");
    }
}
