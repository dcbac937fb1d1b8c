package io.liftstream.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.jobs.env.Environments;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The exactly-once arithmetic, on the shipped configurations and on ones it must refuse. */
class TransactionTimeoutsTest {

    private static Configuration shipped(String which) {
        return Environments.configuration(Path.of("..", "flink-conf", which), Map.of());
    }

    @Test
    void theShippedConfigurationsPass() {
        for (String which : new String[] {"embedded", "cluster"}) {
            Configuration conf = shipped(which);
            assertThat(TransactionTimeouts.check(conf)).as(which).isEqualTo(Duration.ofMinutes(14));
            // 1 min max backoff with 10 % jitter.
            assertThat(TransactionTimeouts.longestBackoff(conf)).as(which).isEqualTo(Duration.ofSeconds(66));
            // Never gives up: the attempts before a reset are Integer.MAX_VALUE.
            assertThat(conf.getString("restart-strategy.exponential-delay.attempts-before-reset-backoff", "")).isEqualTo("2147483647");
            assertThat(conf.getString("pipeline.max-parallelism", "")).isEqualTo("4096");
        }
    }

    /** Flink's default checkpoint timeout (10 min) leaves no room for a 10-minute budget under 14 min. */
    @Test
    void aTimeoutNotAboveCheckpointTimeoutPlusIntervalPlusBudgetIsRefused() {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "10s");
        assertThatThrownBy(() -> TransactionTimeouts.check(conf)).hasMessageContaining("execution.checkpointing.timeout (10 min)");
        conf.setString("execution.checkpointing.timeout", "10min");
        assertThatThrownBy(() -> TransactionTimeouts.check(conf)).hasMessage(
                "liftstream.kafka.transaction-timeout (14 min) must exceed execution.checkpointing.timeout (10 min) + "
                        + "execution.checkpointing.interval (10 s) + liftstream.kafka.restart-budget (10 min) = 20 min 10 s, "
                        + "or a restored job may find its last checkpoint's transactions aborted by the broker");
        conf.setString("execution.checkpointing.timeout", "3min");
        conf.setString("liftstream.kafka.restart-budget", "650s");
        assertThatThrownBy(() -> TransactionTimeouts.check(conf)).hasMessageContaining("= 14 min");
        conf.setString("liftstream.kafka.restart-budget", "649s");
        assertThat(TransactionTimeouts.check(conf)).isEqualTo(Duration.ofMinutes(14));
    }

    /** A configuration without a checkpoint timeout gets 2 min, which fits; one that sets it keeps it. */
    @Test
    void theCommandsDefaultTheCheckpointTimeoutToTwoMinutes() {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "500ms");
        TransactionTimeouts.defaultCheckpointTimeout(conf);
        assertThat(conf.getString("execution.checkpointing.timeout", "")).isEqualTo("2 min");
        assertThat(TransactionTimeouts.check(conf)).isEqualTo(Duration.ofMinutes(14));
        Configuration explicit = new Configuration();
        explicit.setString("execution.checkpointing.timeout", "10min");
        TransactionTimeouts.defaultCheckpointTimeout(explicit);
        assertThat(explicit.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aTimeoutAboveTheBrokersMaximumIsRefused() {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "10s");
        conf.setString("liftstream.kafka.transaction-timeout", "16min");
        assertThatThrownBy(() -> TransactionTimeouts.check(conf)).hasMessage("liftstream.kafka.transaction-timeout (16 min) is above the "
                + "brokers' transaction.max.timeout.ms (liftstream.kafka.broker-max-transaction-timeout = 15 min), which refuse it");
    }

    @Test
    void aBackoffLongerThanTheBudgetIsRefused() {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "10s");
        conf.setString("execution.checkpointing.timeout", "1min");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.delay", "10min");
        assertThatThrownBy(() -> TransactionTimeouts.check(conf))
                .hasMessage("the restart strategy's longest backoff (10 min) must be below liftstream.kafka.restart-budget (10 min)");
    }

    @Test
    void exactlyOnceWithoutCheckpointsIsRefused() {
        assertThatThrownBy(() -> TransactionTimeouts.check(new Configuration()))
                .hasMessage("exactly-once Kafka outputs are committed with checkpoints: set execution.checkpointing.interval");
    }

    @Test
    void durationsAreShownReadably() {
        assertThat(TransactionTimeouts.show(Duration.ofMillis(730))).isEqualTo("730 ms");
        assertThat(TransactionTimeouts.show(Duration.ofSeconds(66))).isEqualTo("66 s");
        assertThat(TransactionTimeouts.show(Duration.ofSeconds(730))).isEqualTo("12 min 10 s");
        assertThat(TransactionTimeouts.show(Duration.ofMinutes(14))).isEqualTo("14 min");
    }
}
