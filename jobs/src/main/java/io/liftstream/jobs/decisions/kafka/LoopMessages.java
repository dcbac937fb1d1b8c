package io.liftstream.jobs.decisions.kafka;

import io.liftstream.experiments.decision.RewardTally;
import io.liftstream.jobs.decisions.ArmTally;
import io.liftstream.jobs.decisions.BroadcastItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The posterior loop's records: key = experiment id for a posterior, a reserved key for markers and
 * the end; value = JSON. Tallies are written as their exact integer parts ({@code n}, Σx and Σx² as
 * 128-bit fixed point in two longs each), so a posterior read back equals the one published.
 * <pre>
 * {"kind":"posterior","experiment_id":"e","boundary":1700000000000,
 *  "arms":[{"arm":"a","n":3,"sum_hi":0,"sum_lo":20000,"sq_hi":0,"sq_lo":20000},{"arm":null,...}]}
 * {"kind":"marker","boundary":1700000001000}
 * {"kind":"end"}
 * </pre>
 */
public final class LoopMessages {
    /** Key of markers: not an experiment id (those are non-empty text without NUL). */
    public static final String MARKER_KEY = "\u0000marker";
    public static final String END_KEY = "\u0000end";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LoopMessages() {}

    public static byte[] key(BroadcastItem item) {
        String k;
        switch (item.kind) {
            case BroadcastItem.POSTERIOR:
                k = item.experimentId;
                break;
            case BroadcastItem.MARKER:
                k = MARKER_KEY;
                break;
            case BroadcastItem.END:
                k = END_KEY;
                break;
            default:
                throw new IllegalArgumentException("not a loop message: " + item);
        }
        return k.getBytes(StandardCharsets.UTF_8);
    }

    public static boolean isEnd(byte[] key) {
        return key != null && END_KEY.equals(new String(key, StandardCharsets.UTF_8));
    }

    public static byte[] value(BroadcastItem item) {
        ObjectNode o = MAPPER.createObjectNode();
        switch (item.kind) {
            case BroadcastItem.POSTERIOR:
                o.put("kind", "posterior");
                o.put("experiment_id", item.experimentId);
                o.put("boundary", item.boundary);
                ArrayNode arms = o.putArray("arms");
                for (ArmTally a : item.arms) {
                    ObjectNode n = arms.addObject();
                    n.put("arm", a.arm);
                    n.put("n", a.tally.n);
                    n.put("sum_hi", a.tally.sumHi);
                    n.put("sum_lo", a.tally.sumLo);
                    n.put("sq_hi", a.tally.sqHi);
                    n.put("sq_lo", a.tally.sqLo);
                }
                break;
            case BroadcastItem.MARKER:
                o.put("kind", "marker");
                o.put("boundary", item.boundary);
                break;
            case BroadcastItem.END:
                o.put("kind", "end");
                break;
            default:
                throw new IllegalArgumentException("not a loop message: " + item);
        }
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BroadcastItem parse(byte[] value) {
        try {
            JsonNode o = MAPPER.readTree(value);
            switch (o.path("kind").asText()) {
                case "posterior": {
                    List<ArmTally> arms = new ArrayList<>();
                    for (JsonNode a : o.path("arms")) {
                        RewardTally t = new RewardTally();
                        t.n = a.path("n").asLong();
                        t.sumHi = a.path("sum_hi").asLong();
                        t.sumLo = a.path("sum_lo").asLong();
                        t.sqHi = a.path("sq_hi").asLong();
                        t.sqLo = a.path("sq_lo").asLong();
                        arms.add(new ArmTally(a.get("arm") == null || a.get("arm").isNull() ? null : a.get("arm").asText(), t));
                    }
                    return BroadcastItem.posterior(o.path("experiment_id").asText(), o.path("boundary").asLong(), arms);
                }
                case "marker":
                    return BroadcastItem.marker(o.path("boundary").asLong());
                case "end":
                    return BroadcastItem.end();
                default:
                    throw new IllegalArgumentException("unknown loop message kind: " + o.path("kind").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable loop message", e);
        }
    }
}
