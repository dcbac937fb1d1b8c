package io.liftstream.jobs.results;

import io.liftstream.jobs.io.NamingFileFormat;
import io.liftstream.jobs.io.OrderedSplitAssigner;

import io.liftstream.jobs.serde.LineLimit;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import java.util.EnumMap;
import java.util.Map;

/**
 * The three inputs from JSON-lines files (or directories, read in path order). Each is read, parsed
 * and watermarked by one subtask, so event time and lateness follow file order alone. A line over
 * {@link io.liftstream.jobs.input.InputOptions#MAX_LINE_BYTES} is not parsed (dead letter {@code too_large}).
 */
public final class ResultsFiles implements ResultsJob.Inputs {
    private final Map<ResultsJob.Stream, String> paths = new EnumMap<>(ResultsJob.Stream.class);
    private final LineLimit limit;

    /** With the default line limit ({@link io.liftstream.jobs.input.InputOptions#MAX_LINE_BYTES}). */
    public ResultsFiles(String decisions, String events, String experiments) {
        this(decisions, events, experiments, new Configuration());
    }

    public ResultsFiles(String decisions, String events, String experiments, ReadableConfig config) {
        limit = LineLimit.of(config);
        paths.put(ResultsJob.Stream.DECISIONS, decisions);
        paths.put(ResultsJob.Stream.EVENTS, events);
        paths.put(ResultsJob.Stream.EXPERIMENTS, experiments);
    }

    @Override
    public DataStream<ResultsLine> open(StreamExecutionEnvironment env, ResultsJob.Stream stream,
            WatermarkStrategy<ResultsLine> watermarks) {
        Path path = new Path(paths.get(stream));
        FileSource<String> source = NamingFileFormat.source(new TextLineInputFormat(), path)
                .setSplitAssigner((FileSplitAssigner.Provider) OrderedSplitAssigner::new)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), stream.id + " " + path)
                .setParallelism(1)
                .uid(stream.id + "-file-source")
                .flatMap(new Parse(stream.parser, limit))
                .setParallelism(1)
                .name("parse " + stream.id)
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1)
                .name(stream.id + " event time");
    }

    /** Parses each line; skipped lines (blank, decisions that expose nobody) vanish. */
    public static final class Parse implements FlatMapFunction<String, ResultsLine> {
        private static final long serialVersionUID = 1L;
        private final LineParser parser;
        private final LineLimit limit;

        public Parse(LineParser parser) {
            this(parser, LineLimit.defaults());
        }

        public Parse(LineParser parser, LineLimit limit) {
            this.parser = parser;
            this.limit = limit;
        }

        @Override
        public void flatMap(String line, Collector<ResultsLine> out) {
            long bytes = line == null ? -1 : limit.excess(line);
            ResultsLine parsed = bytes < 0 ? parser.parse(line)
                    : ResultsLine.tooLarge(LineLimit.excerpt(line), bytes, limit.reason(bytes));
            if (parsed != null) {
                out.collect(parsed);
            }
        }
    }
}
