package io.liftstream.jobs.results;

/**
 * One version of an experiment definition as the results job keeps it, a Flink POJO: the JSON as
 * received (parsed again on use, through a cache) and the event time from which it is in force.
 */
public class DefinitionVersion {
    public String experimentId;
    /**
     * In force from this event time (epoch ms): the definition's {@code timestamp}, else the Kafka
     * record's timestamp, else (a file) {@link Long#MIN_VALUE}, i.e. from the beginning.
     */
    public long effective;
    public String json;
    /**
     * The version's allocation ({@code Phases.allocationKey}: policy, arms and weights, coverage,
     * holdout), set by the operator that keeps it; null if unknown.
     */
    public String allocation;
    /**
     * Start of the phase this version belongs to: the effective time of the first version of the run
     * of consecutive versions with its allocation (maintained by {@link DefinitionHistory}).
     */
    public Long phaseStart;

    public DefinitionVersion() {}

    public DefinitionVersion(String experimentId, long effective, String json) {
        this.experimentId = experimentId;
        this.effective = effective;
        this.json = json;
    }

    @Override
    public String toString() {
        return "DefinitionVersion{" + experimentId + " from " + effective + "}";
    }
}
