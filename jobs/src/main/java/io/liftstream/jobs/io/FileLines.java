package io.liftstream.jobs.io;

import io.liftstream.jobs.serde.LineLimit;
import io.liftstream.jobs.serde.ParsedLine;
import io.liftstream.jobs.serde.SegmentEventParser;
import io.liftstream.jobs.triggers.TriggerJob;

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

/**
 * JSON lines from a file or a directory (read recursively, files in path order; {@code .gz} and
 * other common compressions are decompressed by extension). Read and parsed by one subtask (and
 * given event time by the job's splitter at that parallelism), so event time and lateness follow
 * file order alone: a replay gives the same output on
 * every run. Blank lines are skipped.
 */
public final class FileLines implements TriggerJob.Input {
    private final Path path;
    private final LineLimit limit;

    /** With the default line limit ({@link io.liftstream.jobs.input.InputOptions#MAX_LINE_BYTES}). */
    public FileLines(String path) {
        this(path, new Configuration());
    }

    public FileLines(String path, ReadableConfig config) {
        this.path = new Path(path);
        this.limit = LineLimit.of(config);
    }

    @Override
    public DataStream<ParsedLine> open(StreamExecutionEnvironment env, WatermarkStrategy<ParsedLine> watermarks) {
        FileSource<String> source = NamingFileFormat.source(new TextLineInputFormat(), path)
                .setSplitAssigner((FileSplitAssigner.Provider) OrderedSplitAssigner::new)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "files " + path)
                .setParallelism(1)
                .uid("file-source")
                .flatMap(new ParseLines(limit))
                .setParallelism(1)
                .name("parse")
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1)
                .name("event time");
    }

    /** Parses each non-blank line; a line over the limit is not parsed (dead letter {@code too_large}). */
    public static final class ParseLines implements FlatMapFunction<String, ParsedLine> {
        private static final long serialVersionUID = 1L;
        private final SegmentEventParser parser = new SegmentEventParser();
        private final LineLimit limit;

        public ParseLines() {
            this(LineLimit.defaults());
        }

        public ParseLines(LineLimit limit) {
            this.limit = limit;
        }

        @Override
        public void flatMap(String line, Collector<ParsedLine> out) {
            if (SegmentEventParser.isBlank(line)) {
                return;
            }
            long bytes = limit.excess(line);
            out.collect(bytes < 0 ? parser.parse(line)
                    : ParsedLine.tooLarge(LineLimit.excerpt(line), bytes, limit.reason(bytes)));
        }
    }
}
