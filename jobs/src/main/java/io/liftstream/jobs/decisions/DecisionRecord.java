package io.liftstream.jobs.decisions;

/**
 * One answer on the decision stream (JSON fields in brackets): {@code decisionId} [decision_id],
 * {@code requestId} [request_id], {@code userId} [user_id], {@code experimentId} [experiment_id],
 * {@code arm} [arm], {@code inHoldout} [in_holdout], {@code policy} [policy], {@code propensity}
 * [propensity], {@code reason} [reason], {@code timestamp} [timestamp], {@code experimentVersion}
 * [experiment_version]. A Flink POJO.
 */
public class DecisionRecord {
    public String decisionId;
    public String requestId;
    public String userId;
    public String experimentId;
    /** Null only for an unknown experiment. */
    public String arm;
    public boolean inHoldout;
    /** Null for an unknown experiment. */
    public String policy;
    public double propensity;
    public String reason;
    public long timestamp;
    /** The effective timestamp (epoch ms) of the definition version used; 0 for an untimed one; null if unknown. */
    public Long experimentVersion;

    public DecisionRecord() {}

    @Override
    public String toString() {
        return "DecisionRecord{" + requestId + "/" + experimentId + " user=" + userId + " arm=" + arm + " reason=" + reason
                + " holdout=" + inHoldout + " p=" + propensity + " t=" + timestamp + '}';
    }
}
