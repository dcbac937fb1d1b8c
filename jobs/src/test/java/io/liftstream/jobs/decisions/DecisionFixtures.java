package io.liftstream.jobs.decisions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** JSON lines for the decision job's four input streams, with named instants. */
final class DecisionFixtures {
    private DecisionFixtures() {}

    static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    static final long SECOND = 1_000L;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String request(String requestId, String user, String experiment, long t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("request_id", requestId).put("user_id", user).put("experiment_id", experiment)
                .put("timestamp", Instant.ofEpochMilli(t).toString());
        o.putObject("context").put("placement", "home");
        return o.toString();
    }

    static String trigger(String triggerId, String type, String user, long t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("trigger_id", triggerId).put("trigger", type).put("user_id", user)
                .put("event_time", Instant.ofEpochMilli(t).toString()).put("detected_at", Instant.ofEpochMilli(t).toString());
        o.putObject("context");
        return o.toString();
    }

    static String order(String user, long t, double revenue) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "track").put("event", "Order Completed").put("userId", user)
                .put("messageId", user + "-" + t).put("timestamp", Instant.ofEpochMilli(t).toString());
        o.putObject("properties").put("revenue", revenue);
        return o.toString();
    }

    static String consent(String user, String status, long t) {
        return MAPPER.createObjectNode().put("type", "consent").put("user_id", user).put("status", status)
                .put("timestamp", Instant.ofEpochMilli(t).toString()).toString();
    }

    static String suppression(String user, String status, long t) {
        return MAPPER.createObjectNode().put("type", "suppression").put("user_id", user).put("status", status)
                .put("timestamp", Instant.ofEpochMilli(t).toString()).toString();
    }

    static String deleteUser(String user, long t) {
        return MAPPER.createObjectNode().put("type", "delete_user").put("user_id", user)
                .put("timestamp", Instant.ofEpochMilli(t).toString()).toString();
    }
}
