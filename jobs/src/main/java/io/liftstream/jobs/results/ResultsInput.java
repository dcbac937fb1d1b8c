package io.liftstream.jobs.results;

import java.util.Map;

/**
 * One input of the per-user work, a Flink POJO: an exposure (a decision with reason assigned,
 * sticky or holdout) or an outcome event.
 */
public class ResultsInput {
    /** True for an exposure, false for an outcome event. */
    public boolean exposure;
    public String userId;
    /** Event time, epoch milliseconds. */
    public long timestamp;

    // Exposure
    public String experimentId;
    /** The arm (for a held-out user, the arm bucketing gave; it does not matter). */
    public String arm;
    public boolean holdout;
    public String decisionId;

    // Outcome
    /** The Segment event name, e.g. "Order Completed". */
    public String event;
    /** The event's numeric top-level properties (e.g. revenue), by name. */
    public Map<String, Double> properties;

    public ResultsInput() {}

    public static ResultsInput exposure(String userId, long timestamp, String experimentId, String arm, boolean holdout,
            String decisionId) {
        ResultsInput in = new ResultsInput();
        in.exposure = true;
        in.userId = userId;
        in.timestamp = timestamp;
        in.experimentId = experimentId;
        in.arm = arm;
        in.holdout = holdout;
        in.decisionId = decisionId;
        return in;
    }

    public static ResultsInput outcome(String userId, long timestamp, String event, Map<String, Double> properties) {
        ResultsInput in = new ResultsInput();
        in.userId = userId;
        in.timestamp = timestamp;
        in.event = event;
        in.properties = properties;
        return in;
    }

    @Override
    public String toString() {
        return exposure
                ? "Exposure{" + userId + " " + experimentId + "/" + (holdout ? "holdout" : arm) + " t=" + timestamp + "}"
                : "Outcome{" + userId + " " + event + " t=" + timestamp + " " + properties + "}";
    }
}
