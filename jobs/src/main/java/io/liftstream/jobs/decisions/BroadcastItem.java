package io.liftstream.jobs.decisions;

import java.util.ArrayList;
import java.util.List;

/**
 * What every decision subtask receives: experiment definitions (the changelog) and the messages of
 * the posterior loop ({@link PosteriorAggregator} → {@link DecisionJob.Loop} → here). A Flink POJO.
 *
 * <ul>
 *   <li>{@link #DEFINITION}: {@code experimentId}, {@code effectiveAt} (the definition's timestamp,
 *       or Long.MIN_VALUE for one without: in force from the beginning), {@code definitionJson} (null:
 *       the experiment is removed from {@code effectiveAt} on, a tombstone on the experiments topic).</li>
 *   <li>{@link #POSTERIOR}: {@code experimentId}, {@code boundary} and {@code arms}: the cumulative
 *       tallies of every reward observed before {@code boundary} (an epoch start).</li>
 *   <li>{@link #MARKER}: {@code boundary} = G: every POSTERIOR with a boundary ≤ G has been sent,
 *       so a decision at any time t with epochStart(t) ≤ G can be made.</li>
 *   <li>{@link #END}: the decision side has finished (bounded input): the loop source ends.</li>
 * </ul>
 */
public class BroadcastItem {
    public static final int DEFINITION = 0;
    public static final int POSTERIOR = 1;
    public static final int MARKER = 2;
    public static final int END = 3;

    public int kind;
    public String experimentId;
    public long effectiveAt;
    public String definitionJson;
    public long boundary;
    public List<ArmTally> arms;

    public BroadcastItem() {}

    public static BroadcastItem definition(String experimentId, long effectiveAt, String json) {
        BroadcastItem b = new BroadcastItem();
        b.kind = DEFINITION;
        b.experimentId = experimentId;
        b.effectiveAt = effectiveAt;
        b.definitionJson = json;
        return b;
    }

    public static BroadcastItem posterior(String experimentId, long boundary, List<ArmTally> arms) {
        BroadcastItem b = new BroadcastItem();
        b.kind = POSTERIOR;
        b.experimentId = experimentId;
        b.boundary = boundary;
        b.arms = new ArrayList<>(arms);
        return b;
    }

    public static BroadcastItem marker(long boundary) {
        BroadcastItem b = new BroadcastItem();
        b.kind = MARKER;
        b.boundary = boundary;
        return b;
    }

    public static BroadcastItem end() {
        BroadcastItem b = new BroadcastItem();
        b.kind = END;
        b.boundary = Long.MAX_VALUE;
        return b;
    }

    @Override
    public String toString() {
        return "BroadcastItem{kind=" + kind + ", experiment=" + experimentId + ", boundary=" + boundary + '}';
    }
}
