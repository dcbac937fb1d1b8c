package io.liftstream.jobs.serde;

import io.liftstream.events.ShopperEvent;
import io.liftstream.triggers.CartLine;
import io.liftstream.triggers.TriggerContext;
import io.liftstream.triggers.TriggerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON written on Liftstream's output streams: snake_case fields, instants as ISO-8601 UTC with
 * milliseconds, absent values omitted.
 */
public final class JsonLines {
    private JsonLines() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * A trigger: {@code trigger_id, trigger, user_id, event_time, detected_at, anchor_message_id,
     * context}.
     */
    public static String trigger(TriggerRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("trigger_id", r.triggerId);
        o.put("trigger", r.trigger);
        o.put("user_id", r.userId);
        o.put("event_time", instant(r.eventTime));
        o.put("detected_at", instant(r.detectedAt));
        o.put("anchor_message_id", r.anchorMessageId);
        o.set("context", context(r.context));
        return o.toString();
    }

    private static ObjectNode context(TriggerContext c) {
        ObjectNode o = MAPPER.createObjectNode();
        if (c == null) {
            return o;
        }
        if (c.items != null) {
            ArrayNode items = o.putArray("items");
            for (CartLine line : c.items) {
                ObjectNode item = items.addObject();
                putIfPresent(item, "product_id", line.productId);
                putIfPresent(item, "sku", line.sku);
                item.put("quantity", line.quantity);
                if (line.price != null) {
                    item.put("price", line.price);
                }
            }
        }
        if (Boolean.TRUE.equals(c.itemsTruncated)) { // items lists only the highest-value lines
            o.put("items_truncated", true);
            putIfPresent(o, "line_count", c.lineCount);
        }
        putIfPresent(o, "item_count", c.itemCount);
        putIfPresent(o, "value", c.value);
        putIfPresent(o, "currency", c.currency);
        putIfPresent(o, "cart_id", c.cartId);
        putInstant(o, "first_added_at", c.firstAddedAt);
        putInstant(o, "last_added_at", c.lastAddedAt);
        putIfPresent(o, "order_id", c.orderId);
        putInstant(o, "checkout_started_at", c.checkoutStartedAt);
        putIfPresent(o, "view_count", c.viewCount);
        if (c.productIds != null) {
            ArrayNode products = o.putArray("product_ids");
            for (String p : c.productIds) {
                products.add(p);
            }
        }
        if (Boolean.TRUE.equals(c.productIdsTruncated)) { // product_ids lists only the first distinct products
            o.put("product_ids_truncated", true);
        }
        putInstant(o, "first_viewed_at", c.firstViewedAt);
        putInstant(o, "last_viewed_at", c.lastViewedAt);
        putIfPresent(o, "event_count", c.eventCount);
        putInstant(o, "window_start", c.windowStart);
        putInstant(o, "window_end", c.windowEnd);
        return o;
    }

    /**
     * A parsed event back as a Segment track call ({@code type, event, userId, messageId, timestamp,
     * properties}), for a late record made after parsing, where the original line is gone.
     */
    public static String event(ShopperEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "track");
        o.put("event", e.event);
        o.put("userId", e.userId);
        o.put("messageId", e.messageId);
        o.put("timestamp", instant(e.timestamp));
        ObjectNode p = o.putObject("properties");
        putIfPresent(p, "product_id", e.productId);
        putIfPresent(p, "sku", e.sku);
        putIfPresent(p, "price", e.price);
        putIfPresent(p, "quantity", e.quantity);
        putIfPresent(p, "cart_id", e.cartId);
        putIfPresent(p, "order_id", e.orderId);
        putIfPresent(p, "revenue", e.revenue);
        putIfPresent(p, "value", e.value);
        putIfPresent(p, "currency", e.currency);
        return o.toString();
    }

    /**
     * A dead letter or late line: {@code reason, line}, plus {@code event_time, watermark} if late, and
     * {@code truncated: true, line_bytes} (the original length) when {@code line} is only its first 4 KiB.
     */
    public static String rejected(RejectedLine r) {
        ObjectNode o = MAPPER.createObjectNode();
        putIfPresent(o, "stream", r.stream);
        o.put("reason", r.reason);
        putInstant(o, "event_time", r.eventTime);
        putInstant(o, "watermark", r.watermark);
        o.put("line", r.line);
        if (r.truncated) {
            o.put("truncated", true);
            o.put("line_bytes", r.lineBytes);
        }
        return o.toString();
    }

    /** ISO-8601 UTC with exactly three fraction digits, e.g. {@code 2026-11-20T10:30:00.000Z}. */
    public static String instant(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    private static void putInstant(ObjectNode o, String field, Long epochMillis) {
        if (epochMillis != null) {
            o.put(field, instant(epochMillis));
        }
    }

    private static void putIfPresent(ObjectNode o, String field, Object value) {
        if (value instanceof String) {
            o.put(field, (String) value);
        } else if (value instanceof Integer) {
            o.put(field, (Integer) value);
        } else if (value instanceof Double) {
            o.put(field, (Double) value);
        }
    }
}
