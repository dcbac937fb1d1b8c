package io.liftstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.jobs.input.EventTimeOptions;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

/**
 * The decision benchmark's harness on small inputs: both pipelines count every request, the decision
 * run answers each once, the latency run measures exactly the requests after its warm-up, and the
 * quantiles are the nearest-rank ones. No timing is asserted.
 */
class DecisionBenchmarkITCase {
    @TempDir Path dir;

    static Configuration conf(Path dir) {
        Configuration c = new Configuration();
        c.setString("parallelism.default", "2");
        c.setString("state.backend.type", "rocksdb");
        c.setString("execution.checkpointing.interval", "1s");
        c.setString("execution.checkpointing.dir", dir.resolve("cp").toUri().toString());
        c.setString("pipeline.generic-types", "false");
        return c;
    }

    @Test
    void throughputRunsAnswerEveryRequestOnce() throws Exception {
        DecisionBenchData data = DecisionBenchData.write(dir, 3000, 500, 100, 1);
        assertThat(Files.readAllLines(data.requests)).hasSize(3000);
        assertThat(data.eventCount).isBetween(450L, 750L);
        List<DecisionBenchmark.Measurement> all = new DecisionBenchmark(data, conf(dir)).throughput(0, 1, m -> {});
        assertThat(all).extracting(m -> m.pipeline).containsExactly(DecisionBenchmark.Pipeline.BASELINE, DecisionBenchmark.Pipeline.DECIDE);
        assertThat(all.get(1).decisions).isEqualTo(3000);
        assertThat(all).allMatch(m -> m.requests == 3000 && m.millis > 0 && m.cpuMillis > 0 && !m.isWarmUp());
    }

    @Test
    void latencyRunMeasuresTheRequestsAfterItsWarmUp() throws Exception {
        DecisionBenchData data = DecisionBenchData.write(dir, 10, 10, 10, 1);
        Configuration c = conf(dir);
        c.set(EventTimeOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        DecisionBenchmark.Latency l = new DecisionBenchmark(data, c).latency(200, 3, 1, 100);
        assertThat(l.skipped).isEqualTo(200);
        assertThat(l.measured).isEqualTo(400);
        assertThat(l.p50).isLessThanOrEqualTo(l.p99);
        assertThat(l.p99).isLessThanOrEqualTo(l.max);
    }

    @Test
    void nearestRankQuantiles() {
        TreeMap<Integer, Integer> h = new TreeMap<>();
        h.put(1, 50);
        h.put(2, 49);
        h.put(40, 1);
        assertThat(DecisionBenchmark.Latency.quantile(h, 100, 0.5)).isEqualTo(1);
        assertThat(DecisionBenchmark.Latency.quantile(h, 100, 0.51)).isEqualTo(2);
        assertThat(DecisionBenchmark.Latency.quantile(h, 100, 0.99)).isEqualTo(2);
        assertThat(DecisionBenchmark.Latency.quantile(h, 100, 1.0)).isEqualTo(40);
    }
}
