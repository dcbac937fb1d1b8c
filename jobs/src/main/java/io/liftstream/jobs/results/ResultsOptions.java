package io.liftstream.jobs.results;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/** Options of the results job ({@code -D key=value} or {@code config.yaml}). */
public final class ResultsOptions {
    private ResultsOptions() {}

    public static final ConfigOption<Duration> CADENCE =
            ConfigOptions.key("liftstream.results.cadence")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription("Event-time cadence of the results: a result per experiment at every multiple "
                            + "of it (epoch-aligned, UTC) at which the experiment received exposures or outcomes. "
                            + "Also the interval at which deltas are pre-aggregated per subtask.");

    public static final ConfigOption<Duration> RETENTION_CHECK =
            ConfigOptions.key("liftstream.results.retention-check-interval")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription("How often (event time) a user's state checks whether its experiments stopped "
                            + "more than their attribution window ago, and drops them.");

    public static final ConfigOption<Duration> BANDIT_PERIOD =
            ConfigOptions.key("liftstream.results.bandit-period")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription("For adaptive policies (thompson, top_two, ucb1, epsilon_greedy): the periods "
                            + "(epoch-aligned, UTC) within which the allocation is taken as constant. Users are "
                            + "compared within the period of their first exposure and the periods combined by "
                            + "traffic (as gbstats' weight_by_period), so a changing allocation cannot bias the lift. "
                            + "Use the decision job's allocation update interval or a multiple of it.");

    /** Validated settings. */
    public record Settings(long cadenceMillis, long retentionCheckMillis, long banditPeriodMillis)
            implements java.io.Serializable {
        /** With the default bandit period (1 h). */
        public Settings(long cadenceMillis, long retentionCheckMillis) {
            this(cadenceMillis, retentionCheckMillis, BANDIT_PERIOD.defaultValue().toMillis());
        }

        public Settings {
            if (banditPeriodMillis <= 0) {
                throw new IllegalArgumentException(BANDIT_PERIOD.key() + " must be positive, was " + banditPeriodMillis + " ms");
            }
            if (cadenceMillis <= 0) {
                throw new IllegalArgumentException(CADENCE.key() + " must be positive, was " + cadenceMillis + " ms");
            }
            if (retentionCheckMillis <= 0) {
                throw new IllegalArgumentException(RETENTION_CHECK.key() + " must be positive, was " + retentionCheckMillis + " ms");
            }
        }

        public static Settings from(ReadableConfig config) {
            return new Settings(config.get(CADENCE).toMillis(), config.get(RETENTION_CHECK).toMillis(),
                    config.get(BANDIT_PERIOD).toMillis());
        }

        /** The cadence tick at or before {@code t}. */
        public long floorTick(long t) {
            return Math.floorDiv(t, cadenceMillis) * cadenceMillis;
        }

        /** The first cadence tick after {@code t}. */
        public long nextTick(long t) {
            return floorTick(t) + cadenceMillis;
        }

        /** The first cadence tick at or after {@code t}. */
        public long ceilTick(long t) {
            long f = floorTick(t);
            return f == t ? t : f + cadenceMillis;
        }
    }
}
