package io.liftstream.jobs.results;

import io.liftstream.jobs.io.JobInstance;
import io.liftstream.jobs.io.KafkaSinks;
import io.liftstream.jobs.io.OutputCap;
import io.liftstream.jobs.io.TopicLimits;
import io.liftstream.jobs.io.WallClockRecords;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.RejectedLine;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.nio.charset.StandardCharsets;

/**
 * Results (keyed by experiment id, so one experiment's results stay in order on one partition) and
 * dead letters to Kafka, exactly once: consumers read with {@code isolation.level=read_committed}.
 *
 * <p>The Kafka record timestamp is the write time ({@link WallClockRecords}); a result's event time is
 * its {@code as_of} field. The broker's time-based retention ({@code retention.ms}, 7 days by default)
 * deletes records by their timestamp: with {@code as_of} as the timestamp, the results of a replay or
 * backfill of data older than the retention, or of a job catching up that far, were deleted at the
 * broker's next retention check, silently and depending on when that check ran
 * ({@code SqlDrivenLiveExperimentITCase} lost its first results that way).
 */
public final class ResultsKafkaOutputs implements ResultsJob.Output {
    private final ResultsKafkaSettings kafka;

    public ResultsKafkaOutputs(ResultsKafkaSettings kafka) {
        this.kafka = kafka;
    }

    /**
     * Besides the job's 64 KiB cap, results are held to the results topic's {@code max.message.bytes}
     * (read now): KafkaSink fails the job on a refused record, and a restore would fail on it again. A
     * result over it is an {@code output_too_large} dead letter, counted in {@code liftstreamOversizedOutputs}.
     */
    @Override
    public void write(ResultsJob.Streams streams) {
        TopicLimits.requireDeadLetterRoom(kafka.bootstrapServers, kafka.deadLetterTopic);
        int maxMessageBytes = TopicLimits.maxMessageBytes(kafka.bootstrapServers, kafka.resultsTopic);
        SingleOutputStreamOperator<ResultRecord> results = OutputCap.apply(streams.results,
                new OutputCap<ResultRecord>("results", r -> r.json, r -> r.experimentId, maxMessageBytes),
                "kafka-results-topic-cap");
        results.sinkTo(sink(new WallClockRecords<>(kafka.resultsTopic, new ResultKey(), new ResultValue()), "results"))
                .name("kafka " + kafka.resultsTopic).uid("kafka-results-sink");
        streams.deadLetters().union(results.getSideOutput(OutputCap.DEAD_LETTERS))
                .sinkTo(sink(new WallClockRecords<>(kafka.deadLetterTopic, null, new RejectedValue()), "dead-letters"))
                .name("kafka " + kafka.deadLetterTopic).uid("kafka-results-dead-letter-sink");
    }

    private <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> schema, String name) {
        return KafkaSinks.builder(kafka.bootstrapServers, schema, DeliveryGuarantee.EXACTLY_ONCE,
                JobInstance.transactionalIdPrefix(kafka.transactionalIdPrefix, kafka.instanceId, name), kafka.transactionTimeout)
                .build();
    }

    static final class ResultKey implements SerializationSchema<ResultRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ResultRecord r) {
            return r.experimentId.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class ResultValue implements SerializationSchema<ResultRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ResultRecord r) {
            return r.json.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class RejectedValue implements SerializationSchema<RejectedLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(RejectedLine r) {
            return JsonLines.rejected(r).getBytes(StandardCharsets.UTF_8);
        }
    }
}
