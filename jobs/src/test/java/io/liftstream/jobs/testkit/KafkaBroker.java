package io.liftstream.jobs.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * A real Kafka 4.1 broker (KRaft, combined broker and controller, one node) in the test JVM, with the
 * few client helpers the decision tests need: topics, keyed records in order, committed records.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit kafka;

    private KafkaBroker(KafkaClusterTestKit kafka) {
        this.kafka = kafka;
    }

    public static KafkaBroker start() throws Exception {
        return start(Map.of());
    }

    /** A broker with {@code brokerConfig} on top of the test defaults. */
    public static KafkaBroker start(Map<String, String> brokerConfig) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit kafka = builder.build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        return new KafkaBroker(kafka);
    }

    /**
     * Broker settings that apply time-based retention (the default 7 days) every second from the
     * start instead of 30 s after start and then every 5 minutes: a record whose Kafka timestamp is
     * older than the retention (an event time of a past day, for instance) disappears within a second
     * of its write, deterministically, instead of whenever a test happens to run across a check.
     */
    public static final Map<String, String> RETENTION_CHECKED_EVERY_SECOND = Map.of(
            "log.initial.task.delay.ms", "0",
            "log.retention.check.interval.ms", "1000");

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /**
     * Keyed records {key, value} or {key, value, timestamp in epoch ms} (key may be null; value null is a
     * tombstone), in order, to partition 0.
     */
    public void produce(String topic, List<String[]> keyValues) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String[] kv : keyValues) {
                Long timestamp = kv.length > 2 ? Long.valueOf(kv[2]) : null;
                producer.send(new ProducerRecord<>(topic, 0, timestamp, kv[0], kv[1]));
            }
            producer.flush();
        }
    }

    /** Every record of the topic a read_committed consumer sees now (up to the last stable offset). */
    public List<ConsumerRecord<String, String>> readCommitted(String topic) {
        return readCommittedUntil(topic, records -> true, Duration.ofSeconds(30));
    }

    /**
     * Reads the topic read_committed from the beginning until {@code done} holds for what was read and
     * the end is reached, or the timeout passes (then returns what there is).
     */
    public List<ConsumerRecord<String, String>> readCommittedUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> done,
            Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                boolean atEnd = true;
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                for (TopicPartition tp : parts) {
                    atEnd &= consumer.position(tp) >= end.get(tp);
                }
                if (atEnd && done.test(out)) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Waits until consumer group {@code group} has committed, on every partition, an offset past each
     * of {@code records}; fails with {@code what} and the offsets seen after {@code timeout}. A Flink
     * Kafka source commits the offsets of a checkpoint when it completes, so this means the job has
     * processed those records (they were ahead of that checkpoint's barrier).
     */
    public void awaitCommitted(String group, List<ConsumerRecord<String, String>> records, Duration timeout, String what)
            throws Exception {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = next.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + ": consumer group " + group + " did not commit past " + next + " within "
                            + timeout + "; committed: " + committed);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws Exception {
        kafka.close();
    }
}
