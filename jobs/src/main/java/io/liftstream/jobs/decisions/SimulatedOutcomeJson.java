package io.liftstream.jobs.decisions;

import io.liftstream.jobs.serde.JsonLines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A {@link ResponseModel}'s outcome as a Segment {@code track} event, what the results job (or the
 * decision job's {@code --events}) reads: {@code {"type":"track","event","userId","messageId",
 * "timestamp","properties":{"order_id","decision_id"[,"revenue"]}}}. The {@code messageId} is a
 * name-based UUID of the decision id, so a rerun writes the same line.
 */
public final class SimulatedOutcomeJson {
    private SimulatedOutcomeJson() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static String write(UserItem outcome) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "track");
        o.put("event", outcome.event);
        o.put("userId", outcome.userId);
        o.put("messageId", messageId(outcome.respondsTo));
        o.put("timestamp", JsonLines.instant(outcome.timestamp));
        ObjectNode p = o.putObject("properties");
        p.put("order_id", "order-" + outcome.respondsTo.substring(0, 8));
        p.put("decision_id", outcome.respondsTo);
        if (outcome.revenue != null) {
            p.put("revenue", outcome.revenue.doubleValue());
        }
        return o.toString();
    }

    static String messageId(String decisionId) {
        return UUID.nameUUIDFromBytes(("response:" + decisionId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
