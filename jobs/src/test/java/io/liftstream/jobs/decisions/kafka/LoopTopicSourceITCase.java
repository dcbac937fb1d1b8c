package io.liftstream.jobs.decisions.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.experiments.decision.RewardTally;
import io.liftstream.jobs.decisions.ArmTally;
import io.liftstream.jobs.decisions.BroadcastItem;
import io.liftstream.jobs.testkit.KafkaBroker;
import io.liftstream.jobs.testkit.MiniClusters;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The loop source of a live job on a loop topic that a bounded replay writes to as well (both on
 * the default {@code liftstream.decide.posteriors}), against a real Kafka 4.1 broker. The replay's
 * marker would open the live job's epochs up to its boundary, and its end would end the live job's
 * loop: before run ids the source emitted the replay's marker and stopped at the replay's end,
 * never reading the live run's posterior. Now it emits exactly the live run's messages and ends at
 * the live run's end.
 */
class LoopTopicSourceITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(MiniClusters.PARALLELISM);

    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;

    private static KafkaBroker kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String[] message(String run, BroadcastItem item) {
        return new String[] {new String(LoopMessages.key(run, item), StandardCharsets.UTF_8),
                new String(LoopMessages.value(item), StandardCharsets.UTF_8)};
    }

    private static String show(BroadcastItem i) {
        return i.kind == BroadcastItem.POSTERIOR ? "posterior " + i.experimentId + "@" + i.boundary
                : i.kind == BroadcastItem.MARKER ? "marker@" + i.boundary : "end";
    }

    @Test
    void aReplaysMessagesNeitherOpenNorEndALiveJobsLoop() throws Exception {
        String topic = "shared.posteriors";
        kafka.createTopic(topic, 1);
        String live = "live0001";
        String replay = "replay01";
        RewardTally tally = new RewardTally().add(1).add(0);
        kafka.produce(topic, List.of(
                message(replay, BroadcastItem.posterior("e", T0 + HOUR, List.of(new ArmTally("a", tally)))),
                message(replay, BroadcastItem.marker(T0 + HOUR)),
                message(replay, BroadcastItem.end()),
                message(live, BroadcastItem.posterior("e", T0, List.of(new ArmTally("a", tally)))),
                message(live, BroadcastItem.marker(T0)),
                message(replay, BroadcastItem.marker(T0 + 2 * HOUR)),
                message(live, BroadcastItem.end())));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<BroadcastItem> got = env.fromSource(new LoopTopicSource(kafka.bootstrapServers(), topic, 0, live),
                WatermarkStrategy.noWatermarks(), "loop").executeAndCollect(100);

        assertThat(got).extracting(LoopTopicSourceITCase::show)
                .containsExactly("posterior e@" + T0, "marker@" + T0, "end");
    }
}
