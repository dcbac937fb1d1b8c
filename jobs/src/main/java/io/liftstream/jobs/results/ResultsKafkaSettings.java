package io.liftstream.jobs.results;

import java.io.Serializable;

/** Kafka connection and topic names of the results job. Defaults match the README. */
public final class ResultsKafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public String bootstrapServers;
    public String decisionsTopic = "liftstream.decisions";
    public String eventsTopic = "liftstream.events";
    public String experimentsTopic = "liftstream.experiments";
    public String resultsTopic = "liftstream.experiment-results";
    public String deadLetterTopic = "liftstream.experiment-results.dead-letters";
    public String groupId = "liftstream-results";
    /** Decisions and events: earliest | latest | committed (committed offsets, else earliest). */
    public String startingOffsets = "committed";
    /** Stop at the offsets that are latest when the job starts (a bounded replay). */
    public boolean bounded;
    /** Prefix of the exactly-once sinks' transactional ids ({@code <prefix>-<instanceId>-results}, {@code -dead-letters}). */
    public String transactionalIdPrefix = "liftstream-results";
    /**
     * The job instance ({@link io.liftstream.jobs.io.JobInstance}): part of every transactional id.
     * Random per settings object unless set ({@code --instance-id}).
     */
    public String instanceId = io.liftstream.jobs.io.JobInstance.newId();
    /** {@code transaction.timeout.ms} of the exactly-once sinks ({@link io.liftstream.jobs.io.TransactionTimeouts}). */
    public java.time.Duration transactionTimeout = io.liftstream.jobs.io.TransactionTimeouts.TRANSACTION_TIMEOUT.defaultValue();

    public String topic(ResultsJob.Stream stream) {
        switch (stream) {
            case DECISIONS:
                return decisionsTopic;
            case EVENTS:
                return eventsTopic;
            default:
                return experimentsTopic;
        }
    }
}
