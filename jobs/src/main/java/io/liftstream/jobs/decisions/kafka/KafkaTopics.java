package io.liftstream.jobs.decisions.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** Topic metadata and creation, done by the client when the job is wired (not in the job). */
final class KafkaTopics implements AutoCloseable {
    /** Compaction leaves loop messages younger than this alone, so a restore from a checkpoint reads every version. */
    static final String LOOP_MIN_COMPACTION_LAG_MS = Long.toString(24L * 3600 * 1000);

    private final Admin admin;

    KafkaTopics(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        this.admin = Admin.create(p);
    }

    /** The topic's partition count, or 0 if it does not exist. */
    int partitions(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new IllegalStateException("cannot describe Kafka topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates the posterior loop topic if absent (one partition, compacted, the broker's replication
     * factor); refuses an existing topic with more than one partition (the loop needs one order).
     */
    void ensureLoopTopic(String topic) {
        int n = partitions(topic);
        if (n == 0) {
            NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, LOOP_MIN_COMPACTION_LAG_MS));
            create(t, "the posterior loop topic");
            n = awaitPartitions(topic);
        }
        if (n != 1) {
            throw new IllegalArgumentException("the posterior loop topic " + topic + " must have exactly one partition, has " + n);
        }
    }

    /**
     * Creates the control topic if absent: compacted (the broker's partitions and replication), so
     * that the latest consent, suppression and erasure record of each user stays for good and a start
     * without state rebuilds every fact from the earliest offset. An existing topic is left as it is.
     */
    void ensureControlTopic(String topic) {
        if (partitions(topic) > 0) {
            return;
        }
        NewTopic t = new NewTopic(topic, Optional.empty(), Optional.empty()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        create(t, "the control topic");
        awaitPartitions(topic);
    }

    /** Creates {@code t}; one created meanwhile by someone else is fine. */
    private void create(NewTopic t, String what) {
        try {
            admin.createTopics(List.of(t)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + what + " " + t.name() + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The topic's {@code cleanup.policy} (for example {@code delete} or {@code compact}). */
    String cleanupPolicy(String topic) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
            ConfigEntry e = c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            return e == null ? TopicConfig.CLEANUP_POLICY_DELETE : e.value();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe Kafka topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to 30 s for a new topic's metadata to reach the broker's cache; its partition count. */
    private int awaitPartitions(String topic) {
        int n;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((n = partitions(topic)) == 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    /** The end offset (high watermark) of the topic's partition 0. */
    long endOffset(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offset of " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
