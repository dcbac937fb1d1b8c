package io.liftstream.jobs.io;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;

import java.time.Duration;
import java.util.Locale;

/**
 * The transaction timeout of the exactly-once Kafka sinks, checked against the checkpoints and the
 * restart strategy before a job starts.
 *
 * <p>A sink's transaction opens when a checkpoint's snapshot starts the next one, takes records until
 * the following checkpoint's barrier, and is committed when that checkpoint completes: at most one
 * checkpoint interval plus one checkpoint ({@code execution.checkpointing.timeout}). If the job fails
 * between the checkpoint and the commit, the restored job commits the transaction from its
 * checkpoint: the failure must be noticed, the restart strategy's backoff waited out and the job
 * restored within the {@link #RESTART_BUDGET}. A transaction older than {@code transaction.timeout.ms}
 * is aborted by the broker, and a checkpoint's output is then lost for good (the connector logs that
 * it cannot commit). Hence
 * <pre>
 *   transaction timeout > checkpoint timeout + checkpoint interval + restart budget
 *   transaction timeout <= the brokers' transaction.max.timeout.ms (15 min by default)
 *   longest restart backoff < restart budget
 * </pre>
 * With the shipped {@code config.yaml}: 2 min + 10 s + 10 min = 12 min 10 s < 14 min <= 15 min, and a
 * backoff of at most 66 s (1 min and 10 % jitter). A failure that keeps the job down longer than the
 * budget (no TaskManager for ten minutes) can lose the output of the last checkpoint before it; the
 * restart strategy still never gives up.
 */
public final class TransactionTimeouts {
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key("liftstream.kafka.transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(14))
            .withDescription("transaction.timeout.ms of the exactly-once Kafka sinks.");

    public static final ConfigOption<Duration> RESTART_BUDGET = ConfigOptions.key("liftstream.kafka.restart-budget")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("The longest a failed job may take to restore with its last checkpoint's Kafka output still committable.");

    public static final ConfigOption<Duration> BROKER_MAX_TRANSACTION_TIMEOUT = ConfigOptions.key("liftstream.kafka.broker-max-transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(15))
            .withDescription("The brokers' transaction.max.timeout.ms; a producer asking for more is refused.");

    private TransactionTimeouts() {}

    /** The checkpoint timeout a job gets when the configuration sets none (Flink's own 10 min does not fit). */
    public static final Duration DEFAULT_CHECKPOINT_TIMEOUT = Duration.ofMinutes(2);

    /** Sets {@link #DEFAULT_CHECKPOINT_TIMEOUT} unless the configuration chose a checkpoint timeout. */
    public static void defaultCheckpointTimeout(Configuration conf) {
        if (!conf.contains(CheckpointingOptions.CHECKPOINTING_TIMEOUT)) {
            conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, DEFAULT_CHECKPOINT_TIMEOUT);
        }
    }

    /**
     * The transaction timeout, or an {@link IllegalArgumentException} whose one-line message names the
     * options to change.
     */
    public static Duration check(ReadableConfig conf) {
        Duration timeout = conf.get(TRANSACTION_TIMEOUT);
        Duration brokerMax = conf.get(BROKER_MAX_TRANSACTION_TIMEOUT);
        Duration budget = conf.get(RESTART_BUDGET);
        Duration interval = conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElseThrow(() -> new IllegalArgumentException(
                "exactly-once Kafka outputs are committed with checkpoints: set execution.checkpointing.interval"));
        Duration checkpointTimeout = conf.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        if (timeout.compareTo(brokerMax) > 0) {
            throw new IllegalArgumentException(TRANSACTION_TIMEOUT.key() + " (" + show(timeout) + ") is above the brokers' "
                    + "transaction.max.timeout.ms (" + BROKER_MAX_TRANSACTION_TIMEOUT.key() + " = " + show(brokerMax) + "), which refuse it");
        }
        Duration needed = checkpointTimeout.plus(interval).plus(budget);
        if (timeout.compareTo(needed) <= 0) {
            throw new IllegalArgumentException(TRANSACTION_TIMEOUT.key() + " (" + show(timeout) + ") must exceed "
                    + "execution.checkpointing.timeout (" + show(checkpointTimeout) + ") + execution.checkpointing.interval ("
                    + show(interval) + ") + " + RESTART_BUDGET.key() + " (" + show(budget) + ") = " + show(needed)
                    + ", or a restored job may find its last checkpoint's transactions aborted by the broker");
        }
        Duration backoff = longestBackoff(conf);
        if (backoff.compareTo(budget) >= 0) {
            throw new IllegalArgumentException("the restart strategy's longest backoff (" + show(backoff) + ") must be below "
                    + RESTART_BUDGET.key() + " (" + show(budget) + ")");
        }
        return timeout;
    }

    /** The longest wait the restart strategy puts between a failure and the restart (jitter included). */
    static Duration longestBackoff(ReadableConfig conf) {
        String type = conf.getOptional(RestartStrategyOptions.RESTART_STRATEGY).orElse("exponential-delay")
                .toLowerCase(Locale.ROOT).replace("-", "");
        switch (type) {
            case "fixeddelay":
                return conf.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY);
            case "failurerate":
                return conf.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY);
            case "exponentialdelay":
                Duration max = conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
                double jitter = conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR);
                return Duration.ofMillis(Math.round(max.toMillis() * (1 + jitter)));
            default: // none, off, disable: no restart at all, so nothing to wait for
                return Duration.ZERO;
        }
    }

    /** 12 min 10 s, 66 s, 500 ms. */
    static String show(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 120 || s % 60 != 0 && s < 600) {
            return s + " s";
        }
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }
}
