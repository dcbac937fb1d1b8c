package io.liftstream.triggers;

import io.liftstream.events.ShopperEvent;

import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Turns a silence pattern's match (its single anchor event) into a {@link Silence}. */
public class SilenceFunction extends PatternProcessFunction<ShopperEvent, Silence> {
    private static final long serialVersionUID = 1L;

    private final String anchorStage;
    private final long timeoutMillis;

    public SilenceFunction(String anchorStage, Duration timeout) {
        this.anchorStage = anchorStage;
        this.timeoutMillis = timeout.toMillis();
    }

    /** For {@link TriggerPatterns#cartAbandoned}. */
    public static SilenceFunction cart(TriggerSettings s) {
        return new SilenceFunction(TriggerPatterns.ADD, s.cartTimeout);
    }

    /** For {@link TriggerPatterns#browseAbandoned}. */
    public static SilenceFunction browse(TriggerSettings s) {
        return new SilenceFunction(TriggerPatterns.LAST_VIEW, s.browseTimeout);
    }

    @Override
    public void processMatch(Map<String, List<ShopperEvent>> match, Context ctx, Collector<Silence> out) {
        ShopperEvent anchor = match.get(anchorStage).get(0);
        out.collect(new Silence(anchor.userId, anchor.messageId, anchor.timestamp, anchor.timestamp + timeoutMillis,
                ctx.timestamp()));
    }
}
