package io.liftstream.jobs.cli;

import io.liftstream.jobs.env.Environments;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every job command shares: the Flink configuration directory and {@code -D} overrides. */
public class FlinkOptions {
    @Option(names = "--flink-conf", paramLabel = "DIR",
            description = "Directory holding config.yaml (default: $LIFTSTREAM_FLINK_CONF, set by ./liftstream to flink-conf/embedded).")
    Path flinkConf;

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "Set a Flink or Liftstream option, e.g. -D liftstream.triggers.cart-abandoned.timeout=20min")
    Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * {@code config.yaml}, then the {@code -D} overrides. Refuses a {@code liftstream.*} key that no
     * option declares ({@link ConfigKeys}), naming the closest one; list options (such as
     * {@code liftstream.triggers.enabled}) take commas as well as Flink's {@code ;}.
     */
    public Configuration configuration() {
        Map<String, String> checked = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            ConfigKeys.requireKnown(key, "-D");
            checked.put(key, value);
        });
        Configuration conf = Environments.configuration(flinkConf, checked);
        Map<String, String> raw = conf.toMap();
        for (String key : conf.keySet()) {
            if (!overrides.containsKey(key)) {
                ConfigKeys.requireKnown(key, "in " + configFile());
            }
            ConfigOption<?> option = ConfigKeys.option(key);
            String value = raw.get(key);
            if (option != null && option.defaultValue() instanceof List && value != null && value.contains(",")
                    && !value.startsWith("[")) {
                conf.setString(key, value.replace(',', ';'));
            }
        }
        return conf;
    }

    private String configFile() {
        Path dir = flinkConf;
        if (dir == null && System.getenv(Environments.CONF_DIR_VARIABLE) != null) {
            dir = Path.of(System.getenv(Environments.CONF_DIR_VARIABLE));
        }
        return dir == null ? "the configuration" : dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME).toString();
    }
}
