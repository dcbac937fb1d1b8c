package io.liftstream.jobs.decisions.kafka;

import io.liftstream.jobs.decisions.DecisionLineParser;

import org.apache.flink.connector.base.DeliveryGuarantee;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka connection, topics and guarantees of the decision job. Topic defaults are the SQL catalog's
 * ({@code sql/catalog}), so experiments defined in SQL reach the running job. An input stream whose
 * topic is the empty string is not read.
 */
public final class DecisionKafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public String bootstrapServers;
    public String requestsTopic = "liftstream.decision-requests";
    public String triggersTopic = "liftstream.triggers";
    public String experimentsTopic = "liftstream.experiments";
    public String eventsTopic = "liftstream.events";
    public String controlTopic = "liftstream.control";
    public String decisionsTopic = "liftstream.decisions";
    public String deadLetterTopic = "liftstream.decide.dead-letters";
    /** The posterior loop: created by the job if absent (one partition, compacted); jobs may share it (messages carry the instance id). */
    public String loopTopic = "liftstream.decide.posteriors";
    public String groupId = "liftstream-decide";
    /** earliest | latest | committed (committed offsets, else earliest). */
    public String startingOffsets = "committed";
    /** Stop the input topics at the offsets that are latest when the job starts (a bounded replay). */
    public boolean bounded;
    /** Prefix of the transactional ids: {@code <prefix>-<instanceId>-decisions}, {@code <prefix>-<instanceId>-dead-letters}. */
    public String transactionalIdPrefix = "liftstream-decide";
    /**
     * The job instance ({@link io.liftstream.jobs.io.JobInstance}): part of every transactional id.
     * Random per settings object unless set ({@code --instance-id}).
     */
    public String instanceId = io.liftstream.jobs.io.JobInstance.newId();
    /** {@code transaction.timeout.ms} of the exactly-once sinks ({@link io.liftstream.jobs.io.TransactionTimeouts}). */
    public java.time.Duration transactionTimeout = io.liftstream.jobs.io.TransactionTimeouts.TRANSACTION_TIMEOUT.defaultValue();
    public DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;

    /** The input topics by stream name (in {@link io.liftstream.jobs.decisions.DecisionJob#KEYED_STREAMS} order, then experiments); empty ones omitted. */
    public Map<String, String> inputTopics() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, DecisionLineParser.REQUESTS, requestsTopic);
        put(m, DecisionLineParser.TRIGGERS, triggersTopic);
        put(m, DecisionLineParser.EVENTS, eventsTopic);
        put(m, DecisionLineParser.CONTROL, controlTopic);
        put(m, DecisionLineParser.EXPERIMENTS, experimentsTopic);
        return m;
    }

    private static void put(Map<String, String> m, String stream, String topic) {
        if (topic != null && !topic.isEmpty()) {
            m.put(stream, topic);
        }
    }
}
