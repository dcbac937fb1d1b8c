package io.liftstream.jobs.decisions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Options of the decision job ({@code -D key=value} or config.yaml). */
public final class DecisionOptions {
    private DecisionOptions() {}

    public static final ConfigOption<Duration> POSTERIOR_INTERVAL =
            ConfigOptions.key("liftstream.decide.posterior-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("A decision at event time t uses the posteriors of every reward observed before t "
                            + "rounded down to a multiple of this interval: at most this old, and the same on every run.");

    public static final ConfigOption<Duration> STATE_RETENTION =
            ConfigOptions.key("liftstream.decide.state-retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription("A user's state (sticky arms, consent, caps) is dropped this long after their last "
                            + "event or the end of their last reward window, whichever is later, in event time.");

    public static final ConfigOption<Double> GLOBAL_HOLDOUT_PCT =
            ConfigOptions.key("liftstream.decide.global-holdout-pct")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription("Percent of all users in the global holdout (the long-term control), [0, 100].");

    public static final ConfigOption<Duration> EXPERIMENTS_IDLENESS =
            ConfigOptions.key("liftstream.decide.experiments-idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Kafka only: an experiments topic without records for this long (wall clock) stops "
                            + "holding back decisions. Definitions are rare; a new one is applied from its timestamp.");

    public static final ConfigOption<Integer> PROFILE_CACHE =
            ConfigOptions.key("liftstream.decide.profile-cache")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription("Users per subtask whose profile (sticky arms, open exposures, caps, consent) the "
                            + "decision operator keeps on the heap between items (least recently active evicted first); "
                            + "changes reach the state backend at eviction and before every checkpoint. 0 reads and "
                            + "writes the state for every batch of a user's items.");
}
