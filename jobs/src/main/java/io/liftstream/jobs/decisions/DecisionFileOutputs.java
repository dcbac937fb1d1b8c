package io.liftstream.jobs.decisions;

import io.liftstream.jobs.io.StagedFiles;
import io.liftstream.jobs.serde.JsonLines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decisions and dead letters as JSON-lines files for a bounded run, written exactly once by Flink's
 * {@link FileSink} into a staging directory, then merged by {@link #finish()}. Decisions are ordered by
 * timestamp, then decision id; dead letters by stream (requests, triggers, experiments, events,
 * control), then the line's event time when it has one, then the line: both files are identical on
 * every run.
 */
public final class DecisionFileOutputs implements DecisionJob.Outputs {
    private static final List<String> STREAM_ORDER = List.of(DecisionLineParser.REQUESTS, DecisionLineParser.TRIGGERS,
            DecisionLineParser.EXPERIMENTS, DecisionLineParser.EVENTS, DecisionLineParser.CONTROL);

    private final Path decisions;
    private final Path deadLetters;
    private final StagedFiles staged;
    /** Where simulated outcomes go (the demo), or null. */
    private Path simulatedOutcomes;

    /** {@code deadLetters} may be null: then {@code <decisions>.dead-letters.jsonl}. */
    public DecisionFileOutputs(Path decisions, Path deadLetters) {
        this.decisions = decisions.toAbsolutePath();
        this.deadLetters = deadLetters != null ? deadLetters.toAbsolutePath()
                : StagedFiles.sibling(this.decisions, ".dead-letters.jsonl");
        this.staged = new StagedFiles(this.decisions);
    }

    public Path decisions() {
        return decisions;
    }

    public Path deadLetters() {
        return deadLetters;
    }

    /**
     * Also writes the outcomes a {@link ResponseModel} simulated, as Segment track events ordered by
     * timestamp, then messageId (the demo).
     */
    public DecisionFileOutputs withSimulatedOutcomes(Path file) {
        this.simulatedOutcomes = file.toAbsolutePath();
        return this;
    }

    public Path simulatedOutcomes() {
        return simulatedOutcomes;
    }

    @Override
    public void write(DecisionJob.Streams streams) {
        staged.clear();
        sink(streams.decisions.map(DecisionJson::write).name("decision json").uid("decision-json"), "decisions");
        sink(streams.deadLetters.map(JsonLines::rejected).name("dead-letter json").uid("decide-dead-letter-json"), "dead-letters");
        if (simulatedOutcomes != null && streams.simulatedOutcomes != null) {
            sink(streams.simulatedOutcomes.map(SimulatedOutcomeJson::write).name("simulated outcome json")
                    .uid("simulated-outcome-json"), "outcomes");
        }
    }

    private void sink(DataStream<String> lines, String name) {
        staged.sink(lines, name, "decide-" + name + "-file-sink");
    }

    /** After the job finished: merge the committed parts into the output files. */
    public void finish() {
        try {
            ObjectMapper mapper = new ObjectMapper();
            List<String[]> d = new ArrayList<>();
            for (String line : staged.lines("decisions")) {
                JsonNode n = mapper.readTree(line);
                d.add(new String[] {n.get("timestamp").asText(), n.get("decision_id").asText(), line});
            }
            d.sort(Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]));
            write(decisions, d);
            List<String[]> dl = new ArrayList<>();
            for (String line : staged.lines("dead-letters")) {
                JsonNode n = mapper.readTree(line);
                int stream = STREAM_ORDER.indexOf(n.path("stream").asText(""));
                String time = n.path("event_time").asText("");
                dl.add(new String[] {String.format("%02d", stream + 1), time, n.path("line").asText(""), line});
            }
            dl.sort(Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]).thenComparing(k -> k[2])
                    .thenComparing(k -> k[3]));
            write(deadLetters, dl);
            if (simulatedOutcomes != null) {
                List<String[]> o = new ArrayList<>();
                for (String line : staged.lines("outcomes")) {
                    JsonNode n = mapper.readTree(line);
                    o.add(new String[] {n.get("timestamp").asText(), n.get("messageId").asText(), line});
                }
                o.sort(Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]));
                write(simulatedOutcomes, o);
            }
            staged.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path target, List<String[]> keyed) throws IOException {
        List<String> lines = new ArrayList<>(keyed.size());
        for (String[] k : keyed) {
            lines.add(k[k.length - 1]);
        }
        StagedFiles.write(target, lines);
    }
}
