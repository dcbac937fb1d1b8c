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
    /** Prefix of the exactly-once sinks' transactional ids ({@code <prefix>-results}, {@code -dead-letters}). */
    public String transactionalIdPrefix = "liftstream-results";

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
