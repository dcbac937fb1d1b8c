package io.liftstream.jobs.cli;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before a bounded Kafka run: is any broker answering at {@code --bootstrap-servers}? Without this
 * check, a bounded job against an address nothing listens on spends minutes in client retries and
 * job restarts before failing with a stack trace; with it, the command stops within
 * {@link #CONNECT_TIMEOUT} with one line. (Unbounded runs are not checked: a long-running job may
 * legitimately start before its brokers.)
 */
final class KafkaReachability {
    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("liftstream.kafka.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription("Bounded Kafka runs (--bounded): how long to wait for a broker at --bootstrap-servers "
                            + "to answer before giving up with an error.");

    private KafkaReachability() {}

    /**
     * {@link #require} for a bounded run (a file input, or {@code --bounded}) that uses Kafka
     * ({@code bootstrapServers} not null), with the configured timeout; nothing otherwise.
     */
    static void requireIfBounded(String bootstrapServers, boolean bounded, ReadableConfig conf) {
        if (bootstrapServers != null && bounded) {
            require(bootstrapServers, conf.get(CONNECT_TIMEOUT));
        }
    }

    /** Throws an {@link IllegalArgumentException} naming the servers unless a broker answers within {@code timeout}. */
    static void require(String bootstrapServers, Duration timeout) {
        int ms = (int) Math.max(1, Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "liftstream-reachability");
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("--bootstrap-servers " + bootstrapServers + ": " + reason(e));
        }
        try {
            admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalArgumentException("--bootstrap-servers " + bootstrapServers + ": no Kafka broker answered within "
                    + seconds(timeout) + " (" + CONNECT_TIMEOUT.key() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrapServers, e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
