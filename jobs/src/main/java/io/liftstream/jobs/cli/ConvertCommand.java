package io.liftstream.jobs.cli;

import io.liftstream.jobs.datasets.TaobaoConverter;
import io.liftstream.jobs.serde.JsonLines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code liftstream convert <dataset>}: turns a public dataset into Segment track JSON lines that
 * {@code liftstream triggers --input} replays. One subcommand per dataset; no Flink involved.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a public dataset into Segment track JSON lines for `liftstream triggers --input`.",
        subcommands = {ConvertCommand.Taobao.class})
public final class ConvertCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a dataset: taobao");
    }

    /** {@code liftstream convert taobao}: see {@link TaobaoConverter} for the mapping and the ordering. */
    @Command(name = "taobao", mixinStandardHelpOptions = true,
            description = {
                "Convert the Taobao User Behavior CSV into Segment track JSON lines.",
                "Columns user_id,item_id,category_id,behavior_type,timestamp (epoch seconds).",
                "pv: Product Viewed, cart: Product Added, buy: Order Completed,",
                "fav: Product Added to Wishlist; messageId taobao-<line number>,",
                "properties.product_id = item_id, properties.category = category_id.",
                "Replay order: sorted by timestamp (file order for ties), the rows of one",
                "second spaced 1 ms apart, so event time strictly increases: no late events.",
                "Rows whose timestamp is outside 1990..2200 (milliseconds, negative values) are not converted:",
                "they go to --dead-letter with reason timestamp_out_of_range."
            })
    static final class Taobao implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--input", required = true, paramLabel = "CSV", description = "The Taobao UserBehavior.csv.")
        Path input;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "JSON lines to write (replaced).")
        Path output;

        @Option(names = "--dead-letter", paramLabel = "FILE",
                description = "Rows with an out-of-range timestamp, with their reason (default: <output>.dead-letters.jsonl; replaced).")
        Path deadLetter;

        @Override
        public Integer call() throws Exception {
            Path dead = deadLetter != null ? deadLetter : TaobaoConverter.deadLettersOf(output);
            new PathChecks().inputFile("--input", input).outputFile("--output", output)
                    .outputFile(deadLetter != null ? "--dead-letter" : "--dead-letter (default)", dead).check();
            TaobaoConverter.Summary s;
            try {
                s = TaobaoConverter.convert(input, output, dead);
            } catch (IllegalArgumentException e) {
                // A malformed row is an input error: one line naming the file and the row, exit 2.
                throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.printf("events:         %d (%d users)%n", s.events, s.users);
            s.byBehavior.forEach((b, n) -> out.printf("  %-4s -> %-26s %d%n", b.code, b.segmentEvent, n));
            if (s.events > 0) {
                out.printf("event time:     %s .. %s%n", JsonLines.instant(s.firstMillis), JsonLines.instant(s.lastMillis));
            }
            out.printf("spaced 1 ms:    %d rows shared their second with an earlier row%n", s.spacedRows);
            out.printf("dead-lettered:  %d rows with a timestamp outside 1990..2200%n", s.deadLettered);
            out.println("written to " + output.toAbsolutePath() + ", dead letters to " + dead.toAbsolutePath());
            out.flush();
            return 0;
        }
    }
}
