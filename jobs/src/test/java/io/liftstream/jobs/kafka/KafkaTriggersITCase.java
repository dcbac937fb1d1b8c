package io.liftstream.jobs.kafka;

import static io.liftstream.jobs.testkit.SegmentLines.MINUTE;
import static io.liftstream.jobs.testkit.SegmentLines.SECOND;
import static io.liftstream.jobs.testkit.SegmentLines.T0;
import static io.liftstream.jobs.testkit.SegmentLines.checkoutStarted;
import static io.liftstream.jobs.testkit.SegmentLines.orderCompleted;
import static io.liftstream.jobs.testkit.SegmentLines.other;
import static io.liftstream.jobs.testkit.SegmentLines.productAdded;
import static io.liftstream.jobs.testkit.SegmentLines.productRemoved;
import static io.liftstream.jobs.testkit.SegmentLines.productViewed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.liftstream.jobs.testkit.MiniClusters;
import io.liftstream.jobs.cli.LiftstreamCli;
import io.liftstream.jobs.cli.RunSummary;
import io.liftstream.jobs.input.EventTimeOptions;
import io.liftstream.jobs.io.FileLines;
import io.liftstream.jobs.io.FileOutputs;
import io.liftstream.jobs.io.KafkaLines;
import io.liftstream.jobs.io.KafkaOutputs;
import io.liftstream.jobs.io.KafkaSettings;
import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.serde.SegmentEventParser;
import io.liftstream.jobs.triggers.TriggerJob;
import io.liftstream.triggers.TriggerIds;
import io.liftstream.triggers.TriggerType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The trigger job against a real Kafka 4.1 broker (KRaft, combined broker and controller, started
 * in-process from Maven artifacts) on a MiniCluster at parallelism 2: a bounded replay of a
 * two-partition topic through {@link KafkaLines} and the exactly-once {@link KafkaOutputs}, read back
 * with {@code isolation.level=read_committed}.
 *
 * <p>What is pinned: the exact triggers (every field, and the record key), the dead letters with
 * their reasons (a tombstone included) and the late events with the watermark of <em>their own
 * partition</em>. Records are keyed by user id and each late event follows a later event of the same
 * user, so it is late within its partition whatever the hashing; one straggler is late in file order
 * but not within its partition, which pins the per-partition semantics. The same lines through the
 * file mode give the same triggers; the command line path gives the same topics.
 *
 * <p>{@code detected_at} is deterministic although it is read from a clock that is the minimum of two
 * partitions' watermarks: every abandonment times out between the last shopping event (+12 min) and
 * the sign-outs (+90 min), and each partition's watermark jumps straight across that gap, so the
 * minimum first passes those timeouts at exactly the sign-outs' watermark, in both modes.
 */
class KafkaTriggersITCase {
    private static final int PARALLELISM = MiniClusters.PARALLELISM;
    private static final int INPUT_PARTITIONS = 2;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The job's default bounded out-of-orderness ({@link EventTimeOptions#OUT_OF_ORDERNESS}). */
    private static final long OUT_OF_ORDERNESS = 10 * SECOND;
    /** Every user signs out at this time, so both partitions' watermarks pass every timeout. */
    private static final long SIGN_OUT = T0 + 90 * MINUTE;
    /** The watermark after the sign-outs, at which every abandonment is detected. */
    private static final long SIGN_OUT_WATERMARK = SIGN_OUT - OUT_OF_ORDERNESS - 1;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MiniClusters.withParallelism(PARALLELISM);

    private static KafkaClusterTestKit kafka;

    @TempDir Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fixture

    /** One input record: key (the user id, or null) and value; {@code late}: late within its Kafka partition. */
    private record Line(String key, String value, Long eventTime, boolean late) {
        static Line event(String user, long t, String value) {
            return new Line(user, value, t, false);
        }

        static Line late(String user, long t, String value) {
            return new Line(user, value, t, true);
        }

        static Line bad(String value) {
            return new Line(null, value, null, false);
        }

        boolean counted() {
            return eventTime != null && !late;
        }
    }

    private static final String NOT_JSON = "this is not json";
    private static final String TRUNCATED =
            "{\"type\":\"track\",\"event\":\"Product Added\",\"userId\":\"u-cart\",\"timestamp\":\"2026-11-20T10:00:30Z\"";
    private static final String NO_IDENTITY =
            "{\"type\":\"track\",\"event\":\"Product Added\",\"timestamp\":\"2026-11-20T10:00:30Z\","
                    + "\"properties\":{\"product_id\":\"p1\",\"price\":3.5,\"quantity\":1}}";

    private static final String LATE_BROWSE_ADD = productAdded("u-browse", T0 + MINUTE, "p9", 3, 1);
    private static final String LATE_CART_ORDER = orderCompleted("u-cart", T0 + 2 * MINUTE, "o-late", 1);
    /** Behind the stream by two minutes, but not behind its own partition (fixture-checked). */
    private static final String BUYER_STRAGGLER = other("u-buyer", T0 + 3 * MINUTE, "Coupon Entered");

    private static final List<String> USERS =
            List.of("u-cart", "u-emptied", "u-buyer", "u-browse", "u-browse-short", "u-spike", "u-checkout");

    /**
     * Seven shoppers in event-time order, with two malformed lines, one without identity and two
     * late events woven in:
     *
     * <ul>
     *   <li>u-cart adds p1 ×2 and p2, removes p2: cart_abandoned at +31 min with p1 ×2. Its late
     *       Order Completed (+2 min, after its +5 min removal) would have cancelled it.
     *   <li>u-emptied adds p1 and removes it: the silence is found, the cart is empty, nothing fires.
     *   <li>u-buyer adds, checks out and orders: nothing. A straggler of u-buyer (+3 min, after
     *       u-cart's +5 min removal) is late in file order only: u-buyer's partition is not u-cart's.
     *   <li>u-browse views p1, p2, p3: browse_abandoned at +34 min. Its late Product Added (+1 min,
     *       after its +4 min view) would have broken the browsing run.
     *   <li>u-browse-short views twice: nothing.
     *   <li>u-spike clicks 25 times, 5 s apart: engagement_spike at its 20th click.
     *   <li>u-checkout adds p3 and checks out: cart_abandoned at +40 min and checkout_abandoned at +72 min.
     * </ul>
     *
     * Everyone signs out at +90 min, which moves both partitions' watermarks past every timeout.
     */
    static List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.event("u-cart", T0, productAdded("u-cart", T0, "p1", 19.9, 2)));
        lines.add(Line.event("u-emptied", T0, productAdded("u-emptied", T0, "p1", 10, 1)));
        lines.add(Line.event("u-buyer", T0, productAdded("u-buyer", T0, "p1", 19.9, 1)));
        lines.add(Line.event("u-browse", T0, productViewed("u-browse", T0, "p1")));
        lines.add(Line.event("u-browse-short", T0, productViewed("u-browse-short", T0, "p1")));
        lines.add(Line.bad(NOT_JSON));
        for (int i = 0; i < 25; i++) {
            long t = T0 + i * 5 * SECOND;
            lines.add(Line.event("u-spike", t, other("u-spike", t, "Product Clicked")));
            if (i == 6) {
                lines.add(Line.bad(NO_IDENTITY));
            }
            if (i == 12) {
                lines.add(Line.event("u-cart", T0 + MINUTE, productAdded("u-cart", T0 + MINUTE, "p2", 5, 1)));
                lines.add(Line.event("u-buyer", T0 + MINUTE, checkoutStarted("u-buyer", T0 + MINUTE, "o1", 19.9)));
            }
            if (i == 18) {
                lines.add(Line.bad(TRUNCATED));
            }
        }
        lines.add(Line.event("u-browse", T0 + 2 * MINUTE, productViewed("u-browse", T0 + 2 * MINUTE, "p2")));
        lines.add(Line.event("u-emptied", T0 + 2 * MINUTE, productRemoved("u-emptied", T0 + 2 * MINUTE, "p1", 1)));
        lines.add(Line.event("u-browse-short", T0 + 2 * MINUTE, productViewed("u-browse-short", T0 + 2 * MINUTE, "p2")));
        lines.add(Line.event("u-buyer", T0 + 3 * MINUTE, orderCompleted("u-buyer", T0 + 3 * MINUTE, "o1", 19.9)));
        lines.add(Line.event("u-browse", T0 + 4 * MINUTE, productViewed("u-browse", T0 + 4 * MINUTE, "p3")));
        lines.add(Line.late("u-browse", T0 + MINUTE, LATE_BROWSE_ADD));
        lines.add(Line.event("u-cart", T0 + 5 * MINUTE, productRemoved("u-cart", T0 + 5 * MINUTE, "p2", 1)));
        lines.add(Line.late("u-cart", T0 + 2 * MINUTE, LATE_CART_ORDER));
        lines.add(Line.event("u-buyer", T0 + 3 * MINUTE, BUYER_STRAGGLER));
        lines.add(Line.event("u-checkout", T0 + 10 * MINUTE, productAdded("u-checkout", T0 + 10 * MINUTE, "p3", 12, 1)));
        lines.add(Line.event("u-checkout", T0 + 12 * MINUTE, checkoutStarted("u-checkout", T0 + 12 * MINUTE, "o9", 12)));
        for (String user : USERS) {
            lines.add(Line.event(user, SIGN_OUT, other(user, SIGN_OUT, "Signed Out")));
        }
        return lines;
    }

    /** The five expected triggers, in event-time order. */
    private List<ObjectNode> expectedTriggers() {
        List<ObjectNode> t = new ArrayList<>();

        long lastClick = T0 + 19 * 5 * SECOND;
        // Completed by its 20th event: detected at that event's time.
        ObjectNode spike = trigger(TriggerType.ENGAGEMENT_SPIKE, "u-spike", lastClick, lastClick,
                "u-spike-" + lastClick + "-Product_Clicked");
        spike.putObject("context").put("event_count", 20).put("window_start", iso(T0)).put("window_end", iso(lastClick));
        t.add(spike);

        ObjectNode cart = trigger(TriggerType.CART_ABANDONED, "u-cart", T0 + 31 * MINUTE, SIGN_OUT_WATERMARK,
                "u-cart-" + (T0 + MINUTE) + "-Product_Added");
        ObjectNode cartContext = cart.putObject("context");
        cartContext.putArray("items").addObject().put("product_id", "p1").put("quantity", 2).put("price", 19.9);
        cartContext.put("item_count", 2).put("value", 39.8).put("currency", "EUR")
                .put("first_added_at", iso(T0)).put("last_added_at", iso(T0 + MINUTE));
        t.add(cart);

        ObjectNode browse = trigger(TriggerType.BROWSE_ABANDONED, "u-browse", T0 + 34 * MINUTE, SIGN_OUT_WATERMARK,
                "u-browse-" + (T0 + 4 * MINUTE) + "-Product_Viewed");
        ObjectNode browseContext = browse.putObject("context").put("view_count", 3);
        browseContext.putArray("product_ids").add("p1").add("p2").add("p3");
        browseContext.put("first_viewed_at", iso(T0)).put("last_viewed_at", iso(T0 + 4 * MINUTE));
        t.add(browse);

        ObjectNode checkoutCart = trigger(TriggerType.CART_ABANDONED, "u-checkout", T0 + 40 * MINUTE, SIGN_OUT_WATERMARK,
                "u-checkout-" + (T0 + 10 * MINUTE) + "-Product_Added");
        ObjectNode checkoutCartContext = checkoutCart.putObject("context");
        checkoutCartContext.putArray("items").addObject().put("product_id", "p3").put("quantity", 1).put("price", 12.0);
        checkoutCartContext.put("item_count", 1).put("value", 12.0).put("currency", "EUR")
                .put("first_added_at", iso(T0 + 10 * MINUTE)).put("last_added_at", iso(T0 + 10 * MINUTE));
        t.add(checkoutCart);

        ObjectNode checkout = trigger(TriggerType.CHECKOUT_ABANDONED, "u-checkout", T0 + 72 * MINUTE, SIGN_OUT_WATERMARK,
                "u-checkout-" + (T0 + 12 * MINUTE) + "-Checkout_Started");
        checkout.putObject("context").put("value", 12.0).put("currency", "EUR").put("order_id", "o9")
                .put("checkout_started_at", iso(T0 + 12 * MINUTE));
        t.add(checkout);
        return t;
    }

    private ObjectNode trigger(TriggerType type, String user, long eventTime, long detectedAt, String anchor) {
        ObjectNode o = mapper.createObjectNode();
        o.put("trigger_id", TriggerIds.of(user, type, anchor));
        o.put("trigger", type.id());
        o.put("user_id", user);
        o.put("event_time", iso(eventTime));
        o.put("detected_at", iso(detectedAt));
        o.put("anchor_message_id", anchor);
        return o;
    }

    private static String iso(long millis) {
        return JsonLines.instant(millis);
    }

    // ---------------------------------------------------------------------------------------------
    // Tests

    @Test
    void aBoundedReplayPublishesExactlyTheExpectedRecordsAndMatchesTheFileMode() throws Exception {
        Topics topics = createTopics("job");
        List<Line> lines = lines();
        List<Integer> partitions = produce(topics.input, lines);
        // A tombstone (null value) on a user's key: only Kafka can carry one.
        produce(topics.input, List.of(new Line("u-deleted", null, null, false)));

        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "500ms");
        conf.setString("parallelism.default", String.valueOf(PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        KafkaSettings settings = topics.settings(kafka.bootstrapServers());
        settings.bounded = true;
        settings.startingOffsets = "earliest";
        settings.groupId = "it-" + topics.suffix;
        settings.transactionalIdPrefix = "it-" + topics.suffix;

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobExecutionResult result = new TriggerJob(new KafkaLines(settings, conf), new KafkaOutputs(settings), conf).run(env);

        assertKafkaOutputs(topics, lines, partitions, true);

        RunSummary summary = new RunSummary(result::getAccumulatorResult);
        assertThat(summary.events).isEqualTo(lines.stream().filter(Line::counted).count());
        assertThat(summary.late).isEqualTo(2);
        assertThat(summary.deadLettered).isEqualTo(4);
        assertThat(summary.totalTriggers()).isEqualTo(5);

        // The same lines in the same order through the file mode: the same triggers and dead letters.
        // Event time follows file order there, so the straggler is late too.
        Path input = dir.resolve("events.jsonl");
        Files.write(input, lines.stream().map(Line::value).collect(Collectors.toList()), StandardCharsets.UTF_8);
        Configuration fileConf = new Configuration(conf);
        FileOutputs files = new FileOutputs(dir.resolve("out/triggers.jsonl"), null, null);
        new TriggerJob(new FileLines(input.toString()), files, fileConf)
                .run(StreamExecutionEnvironment.getExecutionEnvironment(fileConf));
        files.finish();

        assertThat(parse(Files.readAllLines(files.triggers()))).containsExactlyElementsOf(expectedTriggers());
        assertThat(parse(Files.readAllLines(files.lateEvents()))).extracting(l -> l.get("line").asText())
                .containsExactly(LATE_BROWSE_ADD, LATE_CART_ORDER, BUYER_STRAGGLER);
        assertThat(parse(Files.readAllLines(files.deadLetters()))).extracting(l -> l.get("line").asText())
                .containsExactlyInAnyOrder(NOT_JSON, NO_IDENTITY, TRUNCATED);
    }

    /**
     * Issue 13 in Kafka mode: the first record of the topic is dated 2199. There is no event time
     * before it, but its Kafka record timestamp (the write time) bounds it: a dead letter with
     * reason {@code future_timestamp}; the cart after it is detected and nothing is late.
     */
    @Test
    void aFutureDatedFirstRecordIsBoundedByItsKafkaTimestamp() throws Exception {
        Topics topics = createTopics("future");
        String future = productViewed("u-clock", java.time.Instant.parse("2199-01-01T00:00:00Z").toEpochMilli(), "p1");
        List<Line> lines = List.of(
                Line.event("u-clock", 0L, future),
                Line.event("u-cart", T0, productAdded("u-cart", T0, "p1", 10, 1)),
                Line.event("u-clock", T0 + SECOND, productViewed("u-clock", T0 + SECOND, "p2")),
                Line.event("u-cart", T0 + MINUTE, productViewed("u-cart", T0 + MINUTE, "p3")));
        produce(topics.input, lines);

        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "500ms");
        conf.setString("parallelism.default", String.valueOf(PARALLELISM));
        conf.setString("pipeline.generic-types", "false");
        KafkaSettings settings = topics.settings(kafka.bootstrapServers());
        settings.bounded = true;
        settings.startingOffsets = "earliest";
        settings.groupId = "it-" + topics.suffix;
        settings.transactionalIdPrefix = "it-" + topics.suffix;
        JobExecutionResult result = new TriggerJob(new KafkaLines(settings, conf), new KafkaOutputs(settings), conf)
                .run(StreamExecutionEnvironment.getExecutionEnvironment(conf));

        RunSummary summary = new RunSummary(result::getAccumulatorResult);
        assertThat(summary.deadLettered).isEqualTo(1);
        assertThat(summary.late).isZero();
        assertThat(summary.events).isEqualTo(3);
        List<ConsumerRecord<String, String>> dead = readCommitted(topics.deadLetters, 1);
        assertThat(dead).hasSize(1);
        JsonNode letter = json(dead.get(0).value());
        assertThat(letter.get("reason").asText())
                .startsWith("future_timestamp: 2199-01-01T00:00:00Z is more than PT1H ahead of the record's timestamp");
        assertThat(letter.get("line").asText()).isEqualTo(future);
        assertThat(readCommitted(topics.triggers, 1)).extracting(r -> json(r.value()).get("trigger").asText()
                + " " + json(r.value()).get("user_id").asText()).contains("cart_abandoned u-cart");
    }

    @Test
    void theCommandLineReplaysATopicIntoTheOutputTopics() throws Exception {
        Topics topics = createTopics("cli");
        List<Line> lines = lines();
        List<Integer> partitions = produce(topics.input, lines);
        // A configuration directory of its own, so a LIFTSTREAM_FLINK_CONF of the caller cannot leak in.
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.yaml"), "parallelism.default: " + PARALLELISM + "\n");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            exit = LiftstreamCli.run("triggers",
                    "--flink-conf", conf.toString(),
                    "--bootstrap-servers", kafka.bootstrapServers(),
                    "--input-topic", topics.input,
                    "--triggers-topic", topics.triggers,
                    "--dead-letter-topic", topics.deadLetters,
                    "--late-topic", topics.late,
                    "--group-id", "it-" + topics.suffix,
                    "--bounded",
                    "--starting-offsets", "earliest",
                    "-D", "execution.checkpointing.interval=500ms");
        } finally {
            System.setOut(original);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        original.print(printed);

        assertThat(exit).as("exit code; printed:%n%s", printed).isZero();
        assertKafkaOutputs(topics, lines, partitions, false);
        assertThat(printed)
                .contains(String.format("events:         %d%n", lines.stream().filter(Line::counted).count()))
                .contains(String.format("late:           2%n"))
                .contains(String.format("dead-lettered:  3%n"))
                .contains(String.format("triggers:       5%n"));
    }

    // ---------------------------------------------------------------------------------------------
    // Assertions on the output topics

    /** Asserts the committed contents of the three output topics. */
    private void assertKafkaOutputs(
            Topics topics, List<Line> lines, List<Integer> partitions, boolean withTombstone) {
        List<ObjectNode> expected = expectedTriggers();
        List<ConsumerRecord<String, String>> triggers = readCommitted(topics.triggers, expected.size());
        assertThat(values(triggers)).containsExactlyInAnyOrderElementsOf(expected);
        for (ConsumerRecord<String, String> r : triggers) {
            assertThat(r.key()).as("record key of %s", r.value()).isEqualTo(json(r.value()).get("user_id").asText());
        }

        List<ObjectNode> deadLetters = new ArrayList<>();
        for (String line : List.of(NOT_JSON, TRUNCATED)) {
            String reason = new SegmentEventParser().parse(line).error;
            assertThat(reason).startsWith("malformed_json: ");
            deadLetters.add(rejected(reason, line));
        }
        deadLetters.add(rejected("missing_identity: neither userId nor anonymousId", NO_IDENTITY));
        if (withTombstone) {
            deadLetters.add(rejected("malformed_json: empty record (tombstone)", ""));
        }
        List<ConsumerRecord<String, String>> dead = readCommitted(topics.deadLetters, deadLetters.size());
        assertThat(values(dead)).containsExactlyInAnyOrderElementsOf(deadLetters);

        List<ObjectNode> late = expectedLate(lines, partitions);
        assertThat(values(readCommitted(topics.late, late.size()))).containsExactlyInAnyOrderElementsOf(late);
    }

    /**
     * The late events, each with its own partition's watermark: the latest event time read from that
     * partition before it, minus the bound, minus 1 ms. Checks on the way that the fixture is late
     * exactly where it says so, partition by partition.
     */
    private List<ObjectNode> expectedLate(List<Line> lines, List<Integer> partitions) {
        List<ObjectNode> late = new ArrayList<>();
        Map<Integer, Long> maxTime = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.eventTime == null) {
                continue;
            }
            Long max = maxTime.get(partitions.get(i));
            long watermark = max == null ? Long.MIN_VALUE : max - OUT_OF_ORDERNESS - 1;
            assertThat(line.eventTime <= watermark).as("fixture: %s is late in partition %d (watermark %s)",
                    line.value, partitions.get(i), watermark).isEqualTo(line.late);
            if (line.late) {
                ObjectNode expected = rejected("late", line.value);
                expected.put("event_time", iso(line.eventTime)).put("watermark", iso(watermark));
                late.add(expected);
            } else {
                maxTime.put(partitions.get(i), max == null ? line.eventTime : Math.max(max, line.eventTime));
            }
        }
        assertThat(maxTime).as("fixture: the users are spread over both partitions").hasSize(INPUT_PARTITIONS);
        assertThat(late).hasSize(2);
        return late;
    }

    private ObjectNode rejected(String reason, String line) {
        ObjectNode o = mapper.createObjectNode();
        o.put("reason", reason);
        o.put("line", line);
        return o;
    }

    private List<ObjectNode> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> (ObjectNode) json(r.value())).collect(Collectors.toList());
    }

    private List<ObjectNode> parse(List<String> lines) {
        return lines.stream().map(l -> (ObjectNode) json(l)).collect(Collectors.toList());
    }

    private JsonNode json(String s) {
        try {
            return mapper.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Kafka plumbing

    /** Fresh topics for one test. */
    private static final class Topics {
        final String suffix;
        final String input;
        final String triggers;
        final String deadLetters;
        final String late;

        Topics(String suffix) {
            this.suffix = suffix;
            this.input = "events-" + suffix;
            this.triggers = "triggers-" + suffix;
            this.deadLetters = "dead-letters-" + suffix;
            this.late = "late-" + suffix;
        }

        KafkaSettings settings(String bootstrapServers) {
            KafkaSettings k = new KafkaSettings();
            k.bootstrapServers = bootstrapServers;
            k.inputTopic = input;
            k.triggersTopic = triggers;
            k.deadLetterTopic = deadLetters;
            k.lateTopic = late;
            return k;
        }
    }

    private static Topics createTopics(String name) throws Exception {
        Topics topics = new Topics(name + "-" + System.nanoTime());
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(
                            new NewTopic(topics.input, INPUT_PARTITIONS, (short) 1),
                            new NewTopic(topics.triggers, 2, (short) 1),
                            new NewTopic(topics.deadLetters, 2, (short) 1),
                            new NewTopic(topics.late, 2, (short) 1)))
                    .all()
                    .get();
        }
        return topics;
    }

    /** Sends the lines in order (keyed by user, so one user's lines share a partition); returns each line's partition. */
    private static List<Integer> produce(String topic, List<Line> lines) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (Line line : lines) {
                sent.add(producer.send(new ProducerRecord<>(topic, line.key, line.value)));
            }
            producer.flush();
            List<Integer> partitions = new ArrayList<>();
            for (Future<RecordMetadata> f : sent) {
                partitions.add(f.get().partition());
            }
            return partitions;
        }
    }

    /**
     * Reads a topic with {@code read_committed} until at least {@code expected} records have arrived
     * and every partition is read to its end (for this isolation level, the last stable offset), so
     * duplicates would show too.
     */
    private static List<ConsumerRecord<String, String>> readCommitted(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (true) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                boolean atEnd = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (atEnd && records.size() >= expected) {
                    return records;
                }
                if (System.nanoTime() > deadline) {
                    fail("read %d committed records of %s within %s, expected %d (end offsets %s): %s", records.size(),
                            topic, READ_TIMEOUT, expected, end,
                            records.stream().map(ConsumerRecord::value).collect(Collectors.toList()));
                }
            }
        }
    }
}
