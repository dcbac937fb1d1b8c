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

    public static StreamExecutionEnvironment create(Configuration conf) {
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}
