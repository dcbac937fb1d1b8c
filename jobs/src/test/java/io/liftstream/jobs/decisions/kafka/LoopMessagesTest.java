package io.liftstream.jobs.decisions.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liftstream.experiments.decision.RewardTally;
import io.liftstream.jobs.decisions.ArmTally;
import io.liftstream.jobs.decisions.BroadcastItem;
import io.liftstream.jobs.decisions.DecisionLine;
import io.liftstream.jobs.decisions.DecisionLineParser;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The loop topic's records round-trip exactly; tombstones on the input topics. */
class LoopMessagesTest {

    @Test
    void posteriorsRoundTripExactlyWithTheExperimentAsKey() {
        RewardTally revenue = new RewardTally().add(19.99).add(1e11).add(0.0001);
        RewardTally control = new RewardTally().add(1).add(0);
        BroadcastItem p = BroadcastItem.posterior("upsell", 1_700_000_000_000L,
                List.of(new ArmTally("bundle", revenue), new ArmTally(null, control)));
        BroadcastItem back = LoopMessages.parse(LoopMessages.value(p));
        assertThat(back.kind).isEqualTo(BroadcastItem.POSTERIOR);
        assertThat(back.experimentId).isEqualTo("upsell");
        assertThat(back.boundary).isEqualTo(1_700_000_000_000L);
        assertThat(back.arms).hasSize(2);
        assertThat(back.arms.get(0).arm).isEqualTo("bundle");
        assertThat(back.arms.get(0).tally).isEqualTo(revenue);
        assertThat(back.arms.get(0).tally.sum()).isEqualTo(revenue.sum());
        assertThat(back.arms.get(1).arm).isNull();
        assertThat(back.arms.get(1).tally).isEqualTo(control);
        assertThat(new String(LoopMessages.key(p), StandardCharsets.UTF_8)).isEqualTo("upsell");
    }

    @Test
    void markersAndTheEndUseReservedKeys() {
        BroadcastItem m = LoopMessages.parse(LoopMessages.value(BroadcastItem.marker(Long.MAX_VALUE)));
        assertThat(m.kind).isEqualTo(BroadcastItem.MARKER);
        assertThat(m.boundary).isEqualTo(Long.MAX_VALUE);
        assertThat(LoopMessages.isEnd(LoopMessages.key(BroadcastItem.marker(5)))).isFalse();
        assertThat(LoopMessages.isEnd(LoopMessages.key(BroadcastItem.end()))).isTrue();
        assertThat(LoopMessages.parse(LoopMessages.value(BroadcastItem.end())).kind).isEqualTo(BroadcastItem.END);
        assertThatThrownBy(() -> LoopMessages.parse("{\"kind\":\"other\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("unknown loop message kind: other");
    }

    @Test
    void aTombstoneRemovesItsExperimentAtTheRecordTimeAndIsADeadLetterElsewhere() {
        DecisionLineParser parser = new DecisionLineParser();
        DecisionLine removed = KafkaDecisionInputs.parse(DecisionLineParser.EXPERIMENTS, parser,
                "cart-recovery".getBytes(StandardCharsets.UTF_8), null, 1_700_000_000_000L);
        assertThat(removed.isValid()).isTrue();
        assertThat(removed.time).isEqualTo(1_700_000_000_000L);
        assertThat(removed.definition.experimentId).isEqualTo("cart-recovery");
        assertThat(removed.definition.definitionJson).isNull();

        DecisionLine noKey = KafkaDecisionInputs.parse(DecisionLineParser.EXPERIMENTS, parser, null, null, 1L);
        assertThat(noKey.error).isEqualTo("malformed_json: empty record (tombstone)");
        DecisionLine request = KafkaDecisionInputs.parse(DecisionLineParser.REQUESTS, parser, "u1".getBytes(StandardCharsets.UTF_8), null, 1L);
        assertThat(request.error).isEqualTo("malformed_json: empty record (tombstone)");
    }
}
