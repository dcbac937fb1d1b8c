package io.liftstream.jobs.env;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the Flink configuration and environment for a command. The configuration is the {@code
 * config.yaml} of the directory named by {@code --flink-conf} or the {@code LIFTSTREAM_FLINK_CONF}
 * variable (the {@code ./liftstream} launcher sets it to {@code flink-conf/embedded}), then the
 * {@code -D key=value} overrides. Run with {@code flink run}, the cluster's environment is used and
 * only the overrides apply on top of it.
 */
public final class Environments {
    private Environments() {}

    public static final String CONF_DIR_VARIABLE = "LIFTSTREAM_FLINK_CONF";

    public static Configuration configuration(Path confDir, Map<String, String> overrides) {
        Path dir = confDir;
        if (dir == null && System.getenv(CONF_DIR_VARIABLE) != null) {
            dir = Path.of(System.getenv(CONF_DIR_VARIABLE));
        }
        Configuration conf;
        if (dir != null) {
            if (!Files.isRegularFile(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
                throw new IllegalArgumentException("no " + GlobalConfiguration.FLINK_CONF_FILENAME + " in " + dir.toAbsolutePath());
            }
            conf = GlobalConfiguration.loadConfiguration(dir.toString());
        } else {
            conf = new Configuration();
        }
        Configuration withOverrides = new Configuration(conf);
        overrides.forEach(withOverrides::setString);
        return withOverrides;
    }

    /**
     * The number of key groups of every keyed operator when the configuration does not set
     * {@code pipeline.max-parallelism}. Flink's own default is derived from the first run's
     * parallelism (128 for up to 85 subtasks) and is then fixed for the state's lifetime: a job
     * started at parallelism 2 could never be rescaled beyond 128 subtasks from its checkpoints.
     * 4096 allows that many subtasks; the cost is per checkpoint, one offset per key group of a
     * keyed operator (4096 × 8 bytes), and in RocksDB a 2-byte key-group prefix per key (as for any
     * value above 128). A savepoint taken with another value restores only with that value:
     * {@code -D pipeline.max-parallelism=128} for one taken before this default.
     */
    public static final int DEFAULT_MAX_PARALLELISM = 4096;

    /** Sets {@link #DEFAULT_MAX_PARALLELISM} unless the configuration (or a cluster's) chose one. */
    public static void defaultMaxParallelism(StreamExecutionEnvironment env) {
        if (env.getConfig().getMaxParallelism() <= 0) {
            env.setMaxParallelism(DEFAULT_MAX_PARALLELISM);
        }
    }

    /** The environment for a command; a job it runs to completion leaves no checkpoints behind ({@link FinishedRunCheckpoints}). */
    public static StreamExecutionEnvironment create(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.registerJobListener(new FinishedRunCheckpoints(conf));
        return env;
    }
}
