package io.liftstream.jobs.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.liftstream.jobs.testkit.CliRun;
import io.liftstream.jobs.testkit.RealData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13's "done means": the 2-hour Taobao replay with the hostile input real pipelines deliver
 * mixed in, through {@code ./liftstream triggers} on the embedded default (RocksDB, checkpoints):
 * one event dated 2199 (a broken client clock), one 1 MiB line, and a bot viewing 30,000 products
 * 0.2 s apart. The job must find the same 5,644 cart abandonments as on the clean file, make nothing
 * late, dead-letter exactly the 2199 line ({@code future_timestamp}) and the 1 MiB line ({@code
 * too_large}), and write no record over 64 KiB.
 */
class HostileTaobaoReplayITCase {
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final int BOT_VIEWS = 30_000;

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aFutureEventAHugeLineAndABotChangeNoCartAbandonment() throws Exception {
        Path csv = RealData.find("taobao-userbehavior/UserBehavior.csv");
        assumeTrue(csv != null && Files.isRegularFile(csv), "../shared/data/taobao-userbehavior is absent");

        Path clean = dir.resolve("taobao.jsonl");
        TaobaoConverter.convert(csv, clean);
        List<String> lines = Files.readAllLines(clean);
        long first = time(lines.get(0));

        // The bot: 30,000 distinct products, one view every 0.2 s from one minute in, merged in time order.
        List<String> hostile = new ArrayList<>(lines.size() + BOT_VIEWS + 2);
        int next = 0;
        for (int i = 0; i < BOT_VIEWS; i++) {
            long t = first + 60_000 + 200L * i;
            while (next < lines.size() && time(lines.get(next)) <= t) {
                hostile.add(lines.get(next++));
            }
            hostile.add(track("bot-1", "bot-view-" + i, t, "Product Viewed", "\"product_id\":\"bot-p" + i + "\""));
        }
        hostile.addAll(lines.subList(next, lines.size()));

        String future = track("broken-clock", "from-2199", Instant.parse("2199-06-01T12:00:00Z").toEpochMilli(),
                "Product Viewed", "\"product_id\":\"p1\"");
        hostile.add(100, future);
        String huge = track("big-payload", "one-mebibyte", time(hostile.get(5_000)), "Product Viewed",
                "\"product_id\":\"p2\",\"blob\":\"" + "x".repeat(1024 * 1024) + "\"");
        hostile.add(5_000, huge);
        Path input = dir.resolve("taobao-hostile.jsonl");
        Files.write(input, hostile);

        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("triggers", "--input", input.toString(),
                "--output", out.resolve("triggers.jsonl").toString(),
                "--dead-letter", out.resolve("dead-letters.jsonl").toString(),
                "--late", out.resolve("late-events.jsonl").toString()));
        args.addAll(CliRun.embedded(dir));
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode).as(run.err).isZero();

        List<String> triggers = Files.readAllLines(out.resolve("triggers.jsonl"));
        long carts = 0;
        JsonNode botBrowse = null;
        for (String line : triggers) {
            JsonNode t = mapper.readTree(line);
            if ("cart_abandoned".equals(t.get("trigger").asText())) {
                carts++;
            }
            if ("bot-1".equals(t.get("user_id").asText()) && "browse_abandoned".equals(t.get("trigger").asText())) {
                botBrowse = t;
            }
        }
        assertThat(carts).as("cart abandonments, as on the clean file").isEqualTo(5_644);
        assertThat(botBrowse).as("the bot's browse run is one bounded trigger").isNotNull();
        assertThat(botBrowse.findValue("view_count").asLong()).isEqualTo(BOT_VIEWS);

        assertThat(Files.readAllLines(out.resolve("late-events.jsonl"))).as("nothing late").isEmpty();
        List<String> dead = Files.readAllLines(out.resolve("dead-letters.jsonl"));
        assertThat(dead).hasSize(2);
        JsonNode futureLetter = null;
        JsonNode hugeLetter = null;
        for (String d : dead) {
            JsonNode letter = mapper.readTree(d);
            String reason = letter.get("reason").asText();
            if (reason.startsWith("future_timestamp")) {
                futureLetter = letter;
            } else if (reason.startsWith("too_large")) {
                hugeLetter = letter;
            }
        }
        assertThat(futureLetter).isNotNull();
        assertThat(futureLetter.get("line").asText()).isEqualTo(future);
        assertThat(hugeLetter).isNotNull();
        assertThat(hugeLetter.get("truncated").asBoolean()).isTrue();
        assertThat(hugeLetter.get("line_bytes").asLong()).isEqualTo(huge.getBytes(StandardCharsets.UTF_8).length);
        assertThat(huge).startsWith(hugeLetter.get("line").asText());

        for (String file : List.of("triggers.jsonl", "dead-letters.jsonl", "late-events.jsonl")) {
            for (String line : Files.readAllLines(out.resolve(file))) {
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).as("a record of " + file).isLessThanOrEqualTo(MAX_RECORD_BYTES);
            }
        }
    }

    private long time(String line) throws Exception {
        return Instant.parse(mapper.readTree(line).get("timestamp").asText()).toEpochMilli();
    }

    private static String track(String user, String messageId, long time, String event, String properties) {
        return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"" + user + "\",\"messageId\":\"" + messageId
                + "\",\"timestamp\":\"" + Instant.ofEpochMilli(time) + "\",\"properties\":{" + properties + "}}";
    }
}
