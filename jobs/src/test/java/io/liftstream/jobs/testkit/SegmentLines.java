package io.liftstream.jobs.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** Fixture factory for Segment track JSON lines, with named instants. */
public final class SegmentLines {
    private SegmentLines() {}

    public static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    public static final long SECOND = 1_000L;
    public static final long MINUTE = 60_000L;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static String productViewed(String user, long t, String product) {
        ObjectNode o = track("Product Viewed", user, t);
        o.putObject("properties").put("product_id", product);
        return o.toString();
    }

    public static String productAdded(String user, long t, String product, double price, int quantity) {
        ObjectNode o = track("Product Added", user, t);
        o.putObject("properties").put("product_id", product).put("price", price).put("quantity", quantity)
                .put("currency", "EUR");
        return o.toString();
    }

    public static String productRemoved(String user, long t, String product, int quantity) {
        ObjectNode o = track("Product Removed", user, t);
        o.putObject("properties").put("product_id", product).put("quantity", quantity);
        return o.toString();
    }

    public static String checkoutStarted(String user, long t, String orderId, double value) {
        ObjectNode o = track("Checkout Started", user, t);
        o.putObject("properties").put("order_id", orderId).put("value", value).put("currency", "EUR");
        return o.toString();
    }

    public static String orderCompleted(String user, long t, String orderId, double revenue) {
        ObjectNode o = track("Order Completed", user, t);
        o.putObject("properties").put("order_id", orderId).put("revenue", revenue).put("currency", "EUR");
        return o.toString();
    }

    public static String other(String user, long t, String event) {
        return track(event, user, t).toString();
    }

    /** A deterministic messageId: user, event time and event name. */
    private static ObjectNode track(String event, String user, long t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "track");
        o.put("event", event);
        o.put("userId", user);
        o.put("messageId", user + "-" + t + "-" + event.replace(' ', '_'));
        o.put("timestamp", Instant.ofEpochMilli(t).toString());
        return o;
    }
}
