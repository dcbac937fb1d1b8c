package io.liftstream.jobs.testkit;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster of the integration tests: one TaskManager with a slot per subtask. */
public final class MiniClusters {
    private MiniClusters() {}

    /** Parallelism of the integration tests: 2, so keying bugs show. */
    public static final int PARALLELISM = 2;

    public static MiniClusterExtension withParallelism(int parallelism) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(parallelism)
                .build());
    }
}
