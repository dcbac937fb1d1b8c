package io.liftstream.jobs.io;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * The largest record an output topic accepts ({@code max.message.bytes}), read when a job is wired.
 *
 * <p>Why before the job, not on refusal: Flink's KafkaSink (connector 5.0) fails the task on any
 * failed send, {@code RecordTooLargeException} included (a "discard too large records" option,
 * FLINK-31121, was proposed and not merged), and the failure surfaces asynchronously, out of reach
 * of the job's code. With exactly-once delivery the restore replays the same record, so one record a
 * topic refuses crash-loops the job. The jobs therefore never send such a record: {@link OutputCap}
 * replaces it by a dead letter before the sink, against this limit as well as its own 64 KiB.
 */
public final class TopicLimits {
    private TopicLimits() {}

    /** Room left for the record batch header, the record's own header and varints (generous). */
    public static final int RECORD_OVERHEAD_BYTES = 512;

    /**
     * The most bytes a dead letter or late record takes (a 4 KiB excerpt, a 1 KiB reason, metadata):
     * a dead-letter topic must accept records of this size.
     */
    public static final int DEAD_LETTER_BYTES = 8 * 1024;

    /** The topic's {@code max.message.bytes}, or {@link Integer#MAX_VALUE} if the topic does not exist yet. */
    public static int maxMessageBytes(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(p)) {
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null ? Integer.MAX_VALUE : Integer.parseInt(entry.value());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Integer.MAX_VALUE; // created on first write with the broker's default (1 MiB): the 64 KiB cap fits
            }
            throw new IllegalStateException("cannot read max.message.bytes of Kafka topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Refuses a dead-letter (or late-events) topic too small for a dead letter: a one-line error at start, not a crash loop. */
    public static void requireDeadLetterRoom(String bootstrapServers, String topic) {
        int max = maxMessageBytes(bootstrapServers, topic);
        if (max < DEAD_LETTER_BYTES + RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("Kafka topic " + topic + " accepts records of at most " + max
                    + " bytes (max.message.bytes); dead letters and late records need " + (DEAD_LETTER_BYTES + RECORD_OVERHEAD_BYTES));
        }
    }
}
