package io.liftstream.jobs.cli;

import io.liftstream.jobs.io.JobInstance;
import io.liftstream.jobs.io.TransactionTimeouts;

import org.apache.flink.configuration.Configuration;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The options of a job command that writes Kafka exactly once: the job instance (part of every
 * transactional id) and the transaction timeout, checked against the checkpoints and the restart
 * strategy before the job starts ({@link TransactionTimeouts}), each error one line.
 */
public class ExactlyOnceOptions {
    @Option(names = "--instance-id", paramLabel = "ID",
            description = "This job instance's id, part of its Kafka transactional ids (and of the decision job's loop messages). "
                    + "Default: 8 random hex digits per start. Give a crashed run's id to a fresh start to abort its open transactions at once.")
    String instanceId;

    /** The instance id: given, or a new random one. */
    public String instanceId(CommandSpec spec) {
        if (instanceId == null) {
            return JobInstance.newId();
        }
        try {
            return JobInstance.checkId(instanceId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The checked transaction timeout; a checkpoint timeout of 2 min is set into {@code conf} if it has none. */
    public Duration transactionTimeout(CommandSpec spec, Configuration conf) {
        TransactionTimeouts.defaultCheckpointTimeout(conf);
        try {
            return TransactionTimeouts.check(conf);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Tells the user which id to give a fresh start that replaces this run. */
    static void announce(CommandSpec spec, String prefix, String instanceId) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("instance id " + instanceId + ": transactional ids " + JobInstance.transactionalIdPrefix(prefix, instanceId, "*"));
        err.flush();
    }
}
