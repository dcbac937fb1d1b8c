package io.liftstream.jobs.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** Fixture factory for the results job's inputs: decision records and experiment definitions. */
public final class ResultsLines {
    private ResultsLines() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An exposure: reason assigned, in {@code arm}. */
    public static String assigned(String user, String experiment, String arm, long t) {
        return decision(user, experiment, arm, false, "assigned", t);
    }

    /** A held-out exposure (reason holdout, in_holdout true); the arm is what bucketing gave. */
    public static String holdout(String user, String experiment, String arm, long t) {
        return decision(user, experiment, arm, true, "holdout", t);
    }

    public static String decision(String user, String experiment, String arm, boolean inHoldout, String reason, long t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("decision_id", experiment + "-" + user + "-" + t);
        o.put("request_id", "r-" + user + "-" + t);
        o.put("user_id", user);
        o.put("experiment_id", experiment);
        if (arm == null) {
            o.putNull("arm");
        } else {
            o.put("arm", arm);
        }
        o.put("in_holdout", inHoldout);
        o.put("policy", "fixed");
        o.put("propensity", 0.5);
        o.put("reason", reason);
        o.put("timestamp", Instant.ofEpochMilli(t).toString());
        o.put("experiment_version", 1);
        return o.toString();
    }

    /** An Order Completed event with revenue. */
    public static String order(String user, long t, double revenue) {
        return SegmentLines.orderCompleted(user, t, "o-" + user + "-" + t, revenue);
    }
}
