package io.liftstream.jobs.decisions.kafka;

import io.liftstream.jobs.decisions.BroadcastItem;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.InProcessLoop;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The production {@link DecisionJob.Loop}: the posterior aggregator writes its messages to a Kafka
 * topic with one partition (posteriors must arrive before the marker that covers them), compacted
 * and keyed by experiment id (markers and the end under reserved keys), and every decision subtask
 * reads them back through {@link LoopTopicSource}, {@code read_committed}.
 *
 * <p>Exactly once (the default): the writer is a transactional {@link KafkaSink}, so what a restored
 * job reads is exactly what the restored aggregator had published at the checkpoint (later messages
 * were in an aborted transaction), and the loop source resumes from its checkpointed offset. The
 * price: a loop message becomes readable when the checkpoint that covers it completes, so each loop
 * round trip waits for a checkpoint. At least once: the writer flushes every record at once; after a
 * restart the decision side may read messages the failed attempt published past the checkpoint.
 * Those are idempotent (a posterior replaces the one with the same boundary; markers only rise) and,
 * over the same input records, equal to what the restored aggregator publishes again.
 *
 * <p>The topic is created when the job is wired if it is absent. A job that is not restored reads
 * from the topic's end at wiring time: nothing of an earlier run (whose aggregator state is gone).
 * One running job per loop topic.
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
        return env.fromSource(new LoopTopicSource(kafka.bootstrapServers, kafka.loopTopic, start),
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
                .setRecordSerializer(KafkaRecordSerializationSchema.<BroadcastItem>builder()
                        .setTopic(kafka.loopTopic)
                        .setKeySerializationSchema(new Key())
                        .setValueSerializationSchema(new Value())
                        .build())
                .setDeliveryGuarantee(kafka.deliveryGuarantee)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix + "-loop")
                .setProperty("transaction.timeout.ms", KafkaDecisionOutputs.TRANSACTION_TIMEOUT_MS)
                .setProperty("linger.ms", "0")
                .build();
        updates.sinkTo(sink).setParallelism(1).setMaxParallelism(1).name("posterior loop " + kafka.loopTopic)
                .uid("posterior-loop-kafka-sink");
    }

    static final class Key implements SerializationSchema<BroadcastItem> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(BroadcastItem item) {
            return LoopMessages.key(item);
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
