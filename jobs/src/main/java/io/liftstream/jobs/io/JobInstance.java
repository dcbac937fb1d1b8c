package io.liftstream.jobs.io;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The identity of one started job: a random id unless given ({@code --instance-id}). It names the
 * exactly-once sinks' transactional ids and tags the decision job's posterior-loop messages, so
 * two jobs started with the same options (a live job and a bounded replay, say) neither fence each
 * other's producers nor read each other's loop.
 *
 * <p>The id is part of the job graph: Flink's own restarts after a failure keep it. A job restored
 * from a savepoint or retained checkpoint by a new {@code liftstream} command gets a new id unless
 * given the old one, and both work: the Kafka sink commits the restored transactions by the ids in
 * its state and aborts the old prefix's lingering ones; the loop source keeps the ids of the runs
 * it was restored from. A fresh start (no state) with a new id leaves a crashed run's open
 * transactions to the broker's timeout; started with the crashed run's id, it aborts them at once.
 */
public final class JobInstance {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private JobInstance() {}

    /** Eight random hex digits. */
    public static String newId() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The id, or an {@link IllegalArgumentException} if it cannot be part of a transactional id and a loop key. */
    public static String checkId(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("--instance-id must be 1 to 64 letters, digits, '.', '_' or '-', was " + id);
        }
        return id;
    }

    /** The transactional-id prefix of one output: {@code <prefix>-<instance>-<output>}. */
    public static String transactionalIdPrefix(String prefix, String instanceId, String output) {
        return prefix + "-" + instanceId + "-" + output;
    }
}
