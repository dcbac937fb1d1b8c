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
 * The posterior loop's records: key = the run's id, a NUL, then the experiment id for a posterior or
 * a reserved name for markers and the end; value = JSON. Tallies are written as their exact integer
 * parts ({@code n}, Σx and Σx² as 128-bit fixed point in two longs each), so a posterior read back
 * equals the one published.
 * <pre>
 * key "3f2a9c01\u0000e"      {"kind":"posterior","experiment_id":"e","boundary":1700000000000,
 *                            "arms":[{"arm":"a","n":3,"sum_hi":0,"sum_lo":20000,"sq_hi":0,"sq_lo":20000},{"arm":null,...}]}
 * key "3f2a9c01\u0000\u0000marker"  {"kind":"marker","boundary":1700000001000}
 * key "3f2a9c01\u0000\u0000end"     {"kind":"end"}
 * </pre>
 *
 * <p>The run id ({@link io.liftstream.jobs.io.JobInstance}) lets two jobs share a loop topic (a
 * bounded replay beside a live job, both on the default topic): each reads only its own run's
 * messages, so the replay's markers do not open the live job's epochs and its end does not end the
 * live job's loop. It leads the key so that compaction, which keeps the last record per key, never
 * replaces one run's posterior with another's. A key without a NUL before its name is a message of
 * a job from before run ids (run {@link #LEGACY_RUN}).
 */
public final class LoopMessages {
    /** Name of markers: not an experiment id (those are non-empty text without NUL). */
    public static final String MARKER_KEY = "\u0000marker";
    public static final String END_KEY = "\u0000end";
    /** The run of keys written before run ids. */
    public static final String LEGACY_RUN = "";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LoopMessages() {}

    public static byte[] key(String run, BroadcastItem item) {
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
        return (run + "\u0000" + k).getBytes(StandardCharsets.UTF_8);
    }

    /** The run that wrote a record with this key. */
    public static String run(byte[] key) {
        if (key == null) {
            return LEGACY_RUN;
        }
        String k = new String(key, StandardCharsets.UTF_8);
        int nul = k.indexOf('\u0000');
        return nul <= 0 ? LEGACY_RUN : k.substring(0, nul);
    }

    /** The key without its run: the experiment id, {@link #MARKER_KEY} or {@link #END_KEY}. */
    public static String name(byte[] key) {
        String k = new String(key, StandardCharsets.UTF_8);
        int nul = k.indexOf('\u0000');
        return nul <= 0 ? k : k.substring(nul + 1);
    }

    public static boolean isEnd(byte[] key) {
        return key != null && END_KEY.equals(name(key));
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
