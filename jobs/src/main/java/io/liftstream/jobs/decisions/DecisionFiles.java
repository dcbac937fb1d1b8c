package io.liftstream.jobs.decisions;

import io.liftstream.jobs.io.NamingFileFormat;
import io.liftstream.jobs.io.OrderedSplitAssigner;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import io.liftstream.jobs.serde.LineLimit;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision job's inputs from JSON-lines files (or directories read in path order), one per
 * stream. Each is read, parsed and watermarked by one subtask, so event time and lateness follow file
 * order alone and a bounded run is deterministic. Blank lines are skipped; a line over {@link
 * io.liftstream.jobs.input.InputOptions#MAX_LINE_BYTES} is not parsed (dead letter {@code too_large}).
 */
public final class DecisionFiles implements DecisionJob.Inputs {
    private final Map<String, String> paths = new LinkedHashMap<>();
    private final LineLimit limit;

    /** With the default line limit ({@link io.liftstream.jobs.input.InputOptions#MAX_LINE_BYTES}). */
    public DecisionFiles() {
        this(new Configuration());
    }

    public DecisionFiles(ReadableConfig config) {
        this.limit = LineLimit.of(config);
    }

    /** Adds a stream's file; null paths are ignored. */
    public DecisionFiles with(String stream, Object path) {
        if (path != null) {
            paths.put(stream, path.toString());
        }
        return this;
    }

    @Override
    public boolean has(String stream) {
        return paths.containsKey(stream);
    }

    @Override
    public DataStream<DecisionLine> open(StreamExecutionEnvironment env, String stream, WatermarkStrategy<DecisionLine> watermarks) {
        Path path = new Path(paths.get(stream));
        FileSource<String> source = NamingFileFormat.source(new TextLineInputFormat(), path)
                .setSplitAssigner((FileSplitAssigner.Provider) OrderedSplitAssigner::new)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), stream + " " + path)
                .setParallelism(1)
                .uid("decide-source-" + stream)
                .flatMap(new Parse(stream, limit))
                .returns(Types.POJO(DecisionLine.class))
                .setParallelism(1)
                .name("parse " + stream)
                .uid("decide-parse-" + stream)
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1)
                .name("event time " + stream)
                .uid("decide-event-time-" + stream);
    }

    /** Parses each non-blank line of one stream. */
    public static final class Parse implements FlatMapFunction<String, DecisionLine> {
        private static final long serialVersionUID = 1L;
        private final String stream;
        private final DecisionLineParser parser = new DecisionLineParser();
        private final LineLimit limit;

        public Parse(String stream) {
            this(stream, LineLimit.defaults());
        }

        public Parse(String stream, LineLimit limit) {
            this.stream = stream;
            this.limit = limit;
        }

        @Override
        public void flatMap(String line, Collector<DecisionLine> out) {
            if (line == null || line.isBlank()) {
                return;
            }
            long bytes = limit.excess(line);
            out.collect(bytes < 0 ? parser.parse(stream, line)
                    : DecisionLine.tooLarge(stream, LineLimit.excerpt(line), bytes, limit.reason(bytes)));
        }
    }
}
