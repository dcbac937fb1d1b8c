package io.liftstream.jobs.cli;

import io.liftstream.jobs.env.Environments;

import org.apache.flink.configuration.Configuration;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options every job command shares: the Flink configuration directory and {@code -D} overrides. */
public class FlinkOptions {
    @Option(names = "--flink-conf", paramLabel = "DIR",
            description = "Directory holding config.yaml (default: $LIFTSTREAM_FLINK_CONF, set by ./liftstream to flink-conf/embedded).")
    Path flinkConf;

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "Set a Flink or Liftstream option, e.g. -D liftstream.triggers.cart-abandoned.timeout=20min")
    Map<String, String> overrides = new LinkedHashMap<>();

    public Configuration configuration() {
        return Environments.configuration(flinkConf, overrides);
    }
}
