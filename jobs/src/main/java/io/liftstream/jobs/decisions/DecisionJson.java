package io.liftstream.jobs.decisions;

import io.liftstream.jobs.serde.JsonLines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The decision record as JSON, every field always present in this order: {@code decision_id,
 * request_id, user_id, experiment_id, arm, in_holdout, policy, propensity, reason, timestamp,
 * experiment_version} ({@code arm}, {@code policy} and {@code experiment_version} are null for an
 * unknown experiment; {@code timestamp} is ISO-8601 UTC with milliseconds).
 */
public final class DecisionJson {
    private DecisionJson() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static String write(DecisionRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("decision_id", r.decisionId);
        o.put("request_id", r.requestId);
        o.put("user_id", r.userId);
        o.put("experiment_id", r.experimentId);
        o.put("arm", r.arm);
        o.put("in_holdout", r.inHoldout);
        o.put("policy", r.policy);
        o.put("propensity", r.propensity);
        o.put("reason", r.reason);
        o.put("timestamp", JsonLines.instant(r.timestamp));
        if (r.experimentVersion == null) {
            o.putNull("experiment_version");
        } else {
            o.put("experiment_version", r.experimentVersion.longValue());
        }
        return o.toString();
    }
}
