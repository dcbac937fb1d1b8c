package io.liftstream.experiments.decision;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic identities: a decision id is a name-based UUID of the request id and the experiment
 * id, so a replay publishes the same id and consumers can deduplicate; a bandit draw is seeded from
 * the decision id, so a replay draws the same arm.
 */
public final class DecisionIds {
    private DecisionIds() {}

    public static String decisionId(String requestId, String experimentId) {
        byte[] name = ("liftstream-decision\u0000" + requestId + "\u0000" + experimentId).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }

    /** The seed of the decision's random draws. */
    public static long seed(String decisionId) {
        UUID u = UUID.fromString(decisionId);
        return u.getMostSignificantBits() ^ Long.rotateLeft(u.getLeastSignificantBits(), 17);
    }
}
