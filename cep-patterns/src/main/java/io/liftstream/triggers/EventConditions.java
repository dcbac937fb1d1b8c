package io.liftstream.triggers;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

import java.util.EnumSet;

/**
 * A pattern condition (and stream filter) matching events of some {@link EventType}s. A named static
 * class, so patterns serialize without capturing anything.
 */
public final class EventConditions extends SimpleCondition<ShopperEvent> implements FilterFunction<ShopperEvent> {
    private static final long serialVersionUID = 1L;

    private final EnumSet<EventType> types;

    private EventConditions(EnumSet<EventType> types) {
        this.types = types;
    }

    public static EventConditions anyOf(EventType first, EventType... rest) {
        return new EventConditions(EnumSet.of(first, rest));
    }

    public static EventConditions anyEvent() {
        return new EventConditions(EnumSet.allOf(EventType.class));
    }

    @Override
    public boolean filter(ShopperEvent event) {
        return types.contains(event.type);
    }
}
