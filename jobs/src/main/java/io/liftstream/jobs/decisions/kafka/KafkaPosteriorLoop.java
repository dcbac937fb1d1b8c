package io.liftstream.jobs.decisions.kafka;

import io.liftstream.jobs.io.WallClockRecords;
import io.liftstream.jobs.decisions.BroadcastItem;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.InProcessLoop;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production {@link DecisionJob.Loop}: the posterior aggregator writes its messages to a Kafka
 * topic with one partition (posteriors must arrive before the marker that covers them), compacted
 * and keyed by experiment id (markers and the end under reserved keys), and every decision subtask
 * reads them back through {@link LoopTopicSource}, {@code read_committed}, from the offset in its
 * checkpoint.
 *
 * <p>The writer is not transactional, whatever the job's delivery guarantee: every message is sent at
 * once ({@code linger.ms=0}, {@code acks=all}) and flushed at each checkpoint, so nothing the
 * restored aggregator had published is lost. A transactional writer would make each message readable
 * only when the next checkpoint completes, and the gated clock needs one loop round trip per epoch
 * that holds items: the job could then not advance faster than one posterior interval per checkpoint
 * interval. After a restart the decision side may also read what the failed attempt published past
 * the checkpoint. That is harmless: posteriors are cumulative and replace the one with the same
 * boundary, markers only rise, and what the failed attempt published is what the restored one
 * computes again from the same input records (when each input partition has its own reader, as
 * {@link KafkaDecisionInputs} arranges; else the lateness of a few records may differ and so may a
 * posterior a replayed decision reads). Decisions themselves go out through the exactly-once sink.
 *
 * <p>The topic is created when the job is wired if it is absent. A job that is not restored reads
 * from the topic's end at wiring time: nothing of an earlier run (whose aggregator state is gone).
 * Every message carries the run's id ({@link DecisionKafkaSettings#instanceId}, in its key,
 * {@link LoopMessages}), and the subscriber reads only its own run's messages (and those of the runs
 * it was restored from), counting the others: several jobs may share one loop topic.
 */
public final class KafkaPosteriorLoop implements DecisionJob.Loop {
    private final DecisionKafkaSettings kafka;

    public KafkaPosteriorLoop(DecisionKafkaSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public DataStream<BroadcastItem> subscribe(StreamExecutionEnvironment env) {
        long start;
        try (KafkaTopics topics = new KafkaTopics(kafka.bootstrapServers)) {
            topics.ensureLoopTopic(kafka.loopTopic);
            start = topics.endOffset(kafka.loopTopic);
        }
        return env.fromSource(new LoopTopicSource(kafka.bootstrapServers, kafka.loopTopic, start, kafka.instanceId),
                        new InProcessLoop.MaxWatermark(), "posterior loop " + kafka.loopTopic)
                .setParallelism(1)
                .setMaxParallelism(1)
                .setBufferTimeout(0)
                .uid("posterior-loop-kafka-source");
    }

    @Override
    public void publish(DataStream<BroadcastItem> updates) {
        KafkaSink<BroadcastItem> sink = KafkaSink.<BroadcastItem>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setRecordSerializer(new WallClockRecords<>(kafka.loopTopic, new Key(kafka.instanceId), new Value()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("linger.ms", "0")
                .setProperty("acks", "all")
                .build();
        updates.sinkTo(sink).setParallelism(1).setMaxParallelism(1).name("posterior loop " + kafka.loopTopic)
                .uid("posterior-loop-kafka-sink");
    }

    static final class Key implements SerializationSchema<BroadcastItem> {
        private static final long serialVersionUID = 1L;
        private final String run;

        Key(String run) {
            this.run = run;
        }

        @Override
        public byte[] serialize(BroadcastItem item) {
            return LoopMessages.key(run, item);
        }
    }

    static final class Value implements SerializationSchema<BroadcastItem> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(BroadcastItem item) {
            return LoopMessages.value(item);
        }
    }
}
