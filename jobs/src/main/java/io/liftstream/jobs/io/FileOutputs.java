package io.liftstream.jobs.io;

import io.liftstream.jobs.serde.JsonLines;
import io.liftstream.jobs.triggers.TriggerJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * JSON-lines files for a bounded run. Each stream is written exactly once by Flink's FileSink
 * into a staging directory ({@link StagedFiles}) (committed on checkpoints, the last one at the end of input); {@link
 * #finish()} then merges the parts into the requested file. Triggers are ordered by event time,
 * then trigger id, so the file is identical on every run; dead letters and late events keep input
 * order, and triggers over the output cap ({@code output_too_large}) follow the input's dead letters.
 */
public final class FileOutputs implements TriggerJob.Output {
    private final Path triggers;
    private final Path deadLetters;
    private final Path lateEvents;
    private final StagedFiles staged;

    /** {@code deadLetters} and {@code lateEvents} may be null: then they are written next to triggers. */
    public FileOutputs(Path triggers, Path deadLetters, Path lateEvents) {
        this.triggers = triggers.toAbsolutePath();
        this.deadLetters = deadLetters != null ? deadLetters.toAbsolutePath() : StagedFiles.sibling(this.triggers, ".dead-letters.jsonl");
        this.lateEvents = lateEvents != null ? lateEvents.toAbsolutePath() : StagedFiles.sibling(this.triggers, ".late.jsonl");
        this.staged = new StagedFiles(this.triggers);
    }

    public Path triggers() {
        return triggers;
    }

    public Path deadLetters() {
        return deadLetters;
    }

    public Path lateEvents() {
        return lateEvents;
    }

    @Override
    public void write(TriggerJob.Streams streams) {
        staged.clear();
        sink(streams.triggers.map(JsonLines::trigger).name("trigger json"), "triggers");
        // Rejected lines keep the parallelism of the input, so a file input's order is preserved.
        sink(streams.deadLetters.map(JsonLines::rejected).setParallelism(streams.deadLetters.getParallelism())
                .name("dead-letter json"), "dead-letters");
        sink(streams.lateEvents.map(JsonLines::rejected).setParallelism(streams.lateEvents.getParallelism())
                .name("late json"), "late");
        sink(streams.oversized.map(JsonLines::rejected).setParallelism(streams.oversized.getParallelism())
                .name("oversized json"), "oversized");
    }

    private void sink(DataStream<String> lines, String name) {
        staged.sink(lines, name, name + "-file-sink");
    }

    /** After the job finished: merge the committed parts into the output files. */
    public void finish() {
        try {
            StagedFiles.write(triggers, byEventTimeThenId(staged.lines("triggers")));
            List<String> dead = staged.lines("dead-letters");
            List<String> oversized = staged.lines("oversized");
            oversized.sort(null); // written by several subtasks: sorted, so the file is the same on every run
            dead.addAll(oversized);
            StagedFiles.write(deadLetters, dead);
            StagedFiles.write(lateEvents, staged.lines("late"));
            staged.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> byEventTimeThenId(List<String> triggerLines) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String[]> keyed = new ArrayList<>();
        for (String line : triggerLines) {
            JsonNode node = mapper.readTree(line);
            keyed.add(new String[] {node.get("event_time").asText(), node.get("trigger_id").asText(), line});
        }
        keyed.sort(Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1]));
        List<String> lines = new ArrayList<>(keyed.size());
        for (String[] k : keyed) {
            lines.add(k[2]);
        }
        return lines;
    }
}
