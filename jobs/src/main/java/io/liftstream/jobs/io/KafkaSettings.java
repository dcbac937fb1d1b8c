package io.liftstream.jobs.io;

import java.io.Serializable;

/** Kafka connection and topic names for the trigger job. Defaults match the README. */
public final class KafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public String bootstrapServers;
    public String inputTopic = "liftstream.events";
    public String triggersTopic = "liftstream.triggers";
    public String deadLetterTopic = "liftstream.dead-letters";
    public String lateTopic = "liftstream.late-events";
    public String groupId = "liftstream-triggers";
    /** earliest | latest | committed (committed offsets, else earliest). */
    public String startingOffsets = "committed";
    /** Stop at the offsets that are latest when the job starts (a bounded replay of a topic). */
    public boolean bounded;
    /**
     * Prefix of the transactional ids of the exactly-once sinks (one per output:
     * {@code <prefix>-<instanceId>-triggers}, {@code -dead-letters}, {@code -late}). The instance id
     * keeps two jobs with the same prefix apart.
     */
    public String transactionalIdPrefix = "liftstream-triggers";
    /**
     * The job instance ({@link io.liftstream.jobs.io.JobInstance}): part of every transactional id.
     * Random per settings object unless set ({@code --instance-id}).
     */
    public String instanceId = io.liftstream.jobs.io.JobInstance.newId();
    /** {@code transaction.timeout.ms} of the exactly-once sinks ({@link io.liftstream.jobs.io.TransactionTimeouts}). */
    public java.time.Duration transactionTimeout = io.liftstream.jobs.io.TransactionTimeouts.TRANSACTION_TIMEOUT.defaultValue();
}
