package io.liftstream.jobs.bench;

import io.liftstream.jobs.decisions.DecisionCounter;
import io.liftstream.jobs.decisions.DecisionFiles;
import io.liftstream.jobs.decisions.DecisionJob;
import io.liftstream.jobs.decisions.DecisionLine;
import io.liftstream.jobs.decisions.DecisionLineParser;
import io.liftstream.jobs.decisions.DecisionRecord;
import io.liftstream.jobs.decisions.DecisionSettings;
import io.liftstream.jobs.decisions.DecisionSplitter;
import io.liftstream.jobs.decisions.InProcessLoop;
import io.liftstream.jobs.decisions.UserItem;
import io.liftstream.jobs.env.Environments;
import io.liftstream.experiments.decision.DecisionReason;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.Histogram;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code liftstream bench decide}: the decision job's throughput next to a bare pipeline over the same
 * requests, and its latency from request to decision at a fixed offered rate.
 *
 * <p><b>Throughput.</b> Warm-up rounds, then measured rounds, each running the baseline and then the
 * decision job as separate bounded jobs over the same files ({@link DecisionBenchData}): both read
 * requests and outcome events with {@link DecisionFiles} (one reader each, Jackson parsing, per-event
 * watermarks) and split them with {@link DecisionSplitter}; the baseline then keys by user and
 * discards, the decision job decides (gated clock, posterior loop in process, state on the configured
 * backend) and discards. Requests/s = requests ÷ Flink's net runtime; the ratio is decide ÷ baseline.
 *
 * <p><b>Latency.</b> One unbounded-style run fed by a rate-limited generator (one subtask) that stamps
 * each request with the wall clock when it is emitted; a map after the decision operator records
 * now − request timestamp (ms) in a histogram accumulator, skipping a warm-up. Event time is the wall
 * clock, with zero out-of-orderness: a request at t runs once a request with a later millisecond has
 * moved the watermark past t (at 1,000 requests/s, about 1 ms), and the first request of each
 * posterior epoch waits one loop round trip for its marker. With the default 10 s out-of-orderness,
 * every decision would wait 10 s: the event-time join holds a request until every input's watermark
 * has passed it. Only the requests and the experiments (a file, finished at once) are inputs, so no
 * idle input holds the watermark back.
 */
public final class DecisionBenchmark {
    public static final String LATENCY = "liftstreamBenchDecisionLatencyMs";

    public enum Pipeline {
        BASELINE("baseline", "requests + events -> parse -> watermarks -> split -> keyBy(user) -> DiscardingSink"),
        DECIDE("decide", "the DecisionJob topology (gated decision operator, posterior aggregator, in-process loop) -> DiscardingSink");

        public final String label;
        public final String description;

        Pipeline(String label, String description) {
            this.label = label;
            this.description = description;
        }
    }

    /** One throughput run; {@code round} 0 is a warm-up. */
    public static final class Measurement {
        public final Pipeline pipeline;
        public final int round;
        public final long requests;
        public final long decisions;
        public final long millis;
        /** CPU time of this JVM during the job (every thread: tasks, cluster, JIT, GC). */
        public final long cpuMillis;

        Measurement(Pipeline pipeline, int round, long requests, long decisions, long millis, long cpuMillis) {
            this.pipeline = pipeline;
            this.round = round;
            this.requests = requests;
            this.decisions = decisions;
            this.millis = millis;
            this.cpuMillis = cpuMillis;
        }

        /** CPU microseconds per request: robust to other load on the machine, unlike requests/s. */
        public double cpuMicrosPerRequest() {
            return requests == 0 ? 0 : cpuMillis * 1000.0 / requests;
        }

        public boolean isWarmUp() {
            return round == 0;
        }

        public double requestsPerSecond() {
            return millis == 0 ? 0 : requests * 1000.0 / millis;
        }
    }

    /** The latency run's figures. */
    public static final class Latency {
        public final long measured;
        public final long skipped;
        public final long millis;
        public final int p50;
        public final int p99;
        public final int p999;
        public final int max;

        Latency(TreeMap<Integer, Integer> histogram, long skipped, long millis) {
            this.skipped = skipped;
            this.millis = millis;
            long n = 0;
            for (int c : histogram.values()) {
                n += c;
            }
            this.measured = n;
            this.p50 = quantile(histogram, n, 0.50);
            this.p99 = quantile(histogram, n, 0.99);
            this.p999 = quantile(histogram, n, 0.999);
            this.max = histogram.isEmpty() ? 0 : histogram.lastKey();
        }

        /** The smallest value with at least q·n observations at or below it. */
        static int quantile(TreeMap<Integer, Integer> histogram, long n, double q) {
            long rank = (long) Math.ceil(q * n);
            long seen = 0;
            for (Map.Entry<Integer, Integer> e : histogram.entrySet()) {
                seen += e.getValue();
                if (seen >= rank) {
                    return e.getKey();
                }
            }
            return 0;
        }
    }

    private final DecisionBenchData data;
    private final Configuration config;

    public DecisionBenchmark(DecisionBenchData data, Configuration config) {
        this.data = data;
        this.config = config;
    }

    /** Throughput rounds. */
    public List<Measurement> throughput(int warmups, int runs, Consumer<Measurement> progress) throws Exception {
        List<Measurement> all = new ArrayList<>();
        for (int round = -warmups + 1; round <= runs; round++) {
            for (Pipeline p : Pipeline.values()) {
                Measurement m = measure(p, Math.max(round, 0));
                all.add(m);
                progress.accept(m);
            }
        }
        return all;
    }

    private Measurement measure(Pipeline pipeline, int round) throws Exception {
        StreamExecutionEnvironment env = Environments.create(config);
        DecisionFiles files = new DecisionFiles()
                .with(DecisionLineParser.REQUESTS, data.requests)
                .with(DecisionLineParser.EVENTS, data.events)
                .with(DecisionLineParser.EXPERIMENTS, data.experiments);
        DecisionSettings settings = DecisionSettings.from(config);
        InProcessLoop loop = new InProcessLoop();
        JobExecutionResult result;
        long cpuBefore = processCpuMillis();
        try {
            if (pipeline == Pipeline.BASELINE) {
                wireBaseline(env, files, settings);
            } else {
                DecisionJob.Streams s = DecisionJob.build(env, files, loop, settings);
                s.decisions.sinkTo(new DiscardingSink<>()).name("discard decisions");
                s.deadLetters.sinkTo(new DiscardingSink<>()).name("discard dead letters");
            }
            result = env.execute("liftstream-bench-decide-" + pipeline.label);
        } finally {
            loop.close();
        }
        long cpu = processCpuMillis() - cpuBefore;
        return new Measurement(pipeline, round, data.requestCount, decisions(result), result.getNetRuntime(TimeUnit.MILLISECONDS), cpu);
    }

    static long processCpuMillis() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1_000_000 : 0;
    }

    private static void wireBaseline(StreamExecutionEnvironment env, DecisionFiles files, DecisionSettings settings) {
        WatermarkStrategy<DecisionLine> watermarks = io.liftstream.jobs.input.SourceActivity.strategy();
        DataStream<UserItem> items = null;
        for (String stream : List.of(DecisionLineParser.REQUESTS, DecisionLineParser.EVENTS)) {
            SingleOutputStreamOperator<DecisionLine> good = files.open(env, stream, watermarks)
                    .transform("split " + stream, Types.POJO(DecisionLine.class),
                            new DecisionSplitter(stream, settings.outOfOrderness, settings.maxFutureSkew)).setParallelism(1);
            good.getSideOutput(DecisionSplitter.DEAD_LETTERS).sinkTo(new DiscardingSink<>()).setParallelism(1);
            DataStream<UserItem> s = good.map(new ToItem()).returns(Types.POJO(UserItem.class)).setParallelism(1);
            items = items == null ? s : items.union(s);
        }
        items.keyBy(new DecisionJob.ByUser()).sinkTo(new DiscardingSink<>()).name("discard items");
    }

    private static long decisions(JobExecutionResult result) {
        long n = 0;
        for (DecisionReason r : DecisionReason.values()) {
            Object v = result.getAccumulatorResult(DecisionCounter.name(r));
            n += v == null ? 0 : ((Number) v).longValue();
        }
        return n;
    }

    /**
     * The latency run: {@code rate} requests/s for {@code seconds}, the first {@code warmupSeconds}
     * not measured. {@code config} should set zero out-of-orderness (see the class comment).
     */
    public Latency latency(int rate, int seconds, int warmupSeconds, int users) throws Exception {
        StreamExecutionEnvironment env = Environments.create(config);
        long count = (long) rate * seconds;
        long skip = (long) rate * warmupSeconds;
        DecisionFiles experiments = new DecisionFiles().with(DecisionLineParser.EXPERIMENTS, data.experiments);
        DecisionJob.Inputs inputs = new DecisionJob.Inputs() {
            @Override
            public boolean has(String stream) {
                return stream.equals(DecisionLineParser.REQUESTS) || stream.equals(DecisionLineParser.EXPERIMENTS);
            }

            @Override
            public DataStream<DecisionLine> open(StreamExecutionEnvironment e, String stream, WatermarkStrategy<DecisionLine> watermarks) {
                if (stream.equals(DecisionLineParser.EXPERIMENTS)) {
                    return experiments.open(e, stream, watermarks);
                }
                DataGeneratorSource<String> source = new DataGeneratorSource<>(new WallClockRequests(users), count,
                        RateLimiterStrategy.perSecond(rate), Types.STRING);
                return e.fromSource(source, WatermarkStrategy.noWatermarks(), "request generator " + rate + "/s")
                        .setParallelism(1)
                        .flatMap(new DecisionFiles.Parse(stream)).returns(Types.POJO(DecisionLine.class)).setParallelism(1)
                        .name("parse requests")
                        .assignTimestampsAndWatermarks(watermarks).setParallelism(1).name("event time requests");
            }
        };
        InProcessLoop loop = new InProcessLoop();
        JobExecutionResult result;
        try {
            DecisionJob.Streams s = DecisionJob.build(env, inputs, loop, DecisionSettings.from(config));
            s.decisions.map(new RecordLatency(skip)).name("record latency").sinkTo(new DiscardingSink<>()).name("discard decisions");
            s.deadLetters.sinkTo(new DiscardingSink<>()).name("discard dead letters");
            result = env.execute("liftstream-bench-decide-latency");
        } finally {
            loop.close();
        }
        @SuppressWarnings("unchecked")
        TreeMap<Integer, Integer> histogram = result.getAccumulatorResult(LATENCY);
        return new Latency(histogram == null ? new TreeMap<>() : histogram, skip, result.getNetRuntime(TimeUnit.MILLISECONDS));
    }

    /** Request i of a user spread over {@code users}, stamped with the wall clock at emission. */
    static final class WallClockRequests implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final int users;

        WallClockRequests(int users) {
            this.users = users;
        }

        @Override
        public String map(Long i) {
            long user = Math.floorMod(i * 0x9E3779B97F4A7C15L, (long) users);
            return DecisionBenchData.request(i, "u" + user, System.currentTimeMillis());
        }
    }

    /** now − decision timestamp, in ms, into a histogram accumulator (requests r0.. r(skip−1) skipped). */
    static final class RecordLatency extends RichMapFunction<DecisionRecord, DecisionRecord> {
        private static final long serialVersionUID = 1L;
        private final long skip;
        private transient Histogram histogram;

        RecordLatency(long skip) {
            this.skip = skip;
        }

        @Override
        public void open(OpenContext openContext) {
            histogram = new Histogram();
            getRuntimeContext().addAccumulator(LATENCY, histogram);
        }

        @Override
        public DecisionRecord map(DecisionRecord d) {
            if (Long.parseLong(d.requestId.substring(1)) >= skip) {
                histogram.add((int) Math.min(Integer.MAX_VALUE, System.currentTimeMillis() - d.timestamp));
            }
            return d;
        }
    }

    static final class ToItem implements MapFunction<DecisionLine, UserItem> {
        private static final long serialVersionUID = 1L;

        @Override
        public UserItem map(DecisionLine line) {
            return line.item;
        }
    }
}
