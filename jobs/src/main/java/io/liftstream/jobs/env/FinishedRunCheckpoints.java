package io.liftstream.jobs.env;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Removes the checkpoints of a run that finished: a bounded job (a file replay, {@code --bounded})
 * that ran to completion can never be restored from them (all its tasks finished), yet each run
 * leaves its {@code <execution.checkpointing.dir>/<job id>} directory behind (about 1 MB per run,
 * 81 MB after an afternoon of use). Registered on every command's environment: {@link
 * #onJobExecuted} is called only when {@code execute()} returns, that is for a job that finished;
 * a live job submitted without waiting, or one that failed, keeps its checkpoints.
 */
final class FinishedRunCheckpoints implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(FinishedRunCheckpoints.class);

    private final String checkpointDir;

    FinishedRunCheckpoints(ReadableConfig conf) {
        this.checkpointDir = conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
    }

    @Override
    public void onJobSubmitted(JobClient jobClient, Throwable throwable) {}

    @Override
    public void onJobExecuted(JobExecutionResult result, Throwable throwable) {
        if (throwable != null || result == null || checkpointDir == null) {
            return;
        }
        remove(new Path(checkpointDir), result.getJobID());
    }

    /** Deletes {@code dir/<job id>}, if there; a failure to delete is logged, never raised. */
    static void remove(Path dir, JobID job) {
        Path jobDir = new Path(dir, job.toHexString());
        try {
            FileSystem fs = jobDir.getFileSystem();
            if (fs.exists(jobDir)) {
                fs.delete(jobDir, true);
            }
        } catch (IOException e) {
            LOG.warn("could not remove the checkpoints of finished job {} under {}", job, jobDir, e);
        }
    }
}
