package io.liftstream.jobs.serde;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * Parses one JSON line into a {@link ShopperEvent}, or says precisely why it cannot.
 *
 * <p>Accepted input is a Segment-spec call (e-commerce spec V2 event names for the events Liftstream
 * interprets; any other event name, and any other call type such as {@code page}, is accepted as
 * activity). Snowplow e-commerce action types in the {@code event} field are mapped to their
 * Segment names (see {@link #SNOWPLOW_ACTIONS}).
 *
 * <p>Rules: identity is {@code userId}, else {@code anonymousId} (non-empty strings); event time is
 * {@code timestamp}, an ISO-8601 instant (with {@code Z} or an offset) or epoch milliseconds (number
 * or digit string), between 1990 and 2200 (epoch seconds land in 1970 and are refused), corrected
 * for the client's clock skew when {@code sentAt} and {@code receivedAt} are present (see {@link
 * #correctedTimestamp}). Property
 * types: {@code price}, {@code revenue}, {@code value} finite numbers ({@code price} 0 to 10^9);
 * {@code quantity} a whole number 0 to 10^6; {@code product_id}, {@code sku}, {@code cart_id},
 * {@code order_id} strings or whole numbers; {@code currency} a string. A line without {@code
 * messageId} gets a name-based UUID of the line itself, so replays keep the same id.
 */
public final class SegmentEventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Snowplow e-commerce action type to Segment e-commerce event name. */
    public static final Map<String, String> SNOWPLOW_ACTIONS = Map.of(
            "add_to_cart", "Product Added",
            "remove_from_cart", "Product Removed",
            "product_view", "Product Viewed",
            "checkout_step", "Checkout Started",
            "transaction", "Order Completed");

    private static final long MIN_TIME = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_TIME = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Thrown internally to carry a rejection reason. */
    private static final class Rejection extends Exception {
        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Parses a line; never throws. */
    public ParsedLine parse(String line) {
        try {
            return ParsedLine.ok(line, toEvent(line));
        } catch (Rejection r) {
            return ParsedLine.rejected(line, r.getMessage());
        }
    }

    /** True for lines that carry nothing (blank): they are skipped, not dead-lettered. */
    public static boolean isBlank(String line) {
        return line == null || line.isBlank();
    }

    private ShopperEvent toEvent(String line) throws Rejection {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Rejection("malformed_json: " + JsonErrors.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw new Rejection("malformed_json: not a JSON object");
        }
        ShopperEvent event = new ShopperEvent();
        event.userId = identity(root);
        event.timestamp = correctedTimestamp(root);
        event.event = eventName(root);
        event.type = EventType.ofSegmentName(event.event);
        String messageId = text(root, "", "messageId", false);
        event.messageId = messageId != null && !messageId.isEmpty()
                ? messageId
                : UUID.nameUUIDFromBytes(line.getBytes(StandardCharsets.UTF_8)).toString();

        JsonNode properties = root.get("properties");
        if (properties != null && !properties.isNull()) {
            if (!properties.isObject()) {
                throw new Rejection("wrong_type: properties must be an object");
            }
            event.productId = text(properties, "properties.", "product_id", true);
            event.sku = text(properties, "properties.", "sku", true);
            event.cartId = text(properties, "properties.", "cart_id", true);
            event.orderId = text(properties, "properties.", "order_id", true);
            event.currency = text(properties, "properties.", "currency", false);
            event.price = number(properties, "price", 0, 1e9);
            event.revenue = number(properties, "revenue", -1e12, 1e12);
            event.value = number(properties, "value", -1e12, 1e12);
            Double quantity = number(properties, "quantity", 0, 1e6);
            if (quantity != null) {
                if (quantity != Math.rint(quantity)) {
                    throw new Rejection("wrong_type: properties.quantity must be a whole number, was " + quantity);
                }
                event.quantity = quantity.intValue();
            }
        }
        return event;
    }

    private static String identity(JsonNode root) throws Rejection {
        String userId = text(root, "", "userId", true);
        if (userId != null && !userId.isEmpty()) {
            return userId;
        }
        String anonymousId = text(root, "", "anonymousId", true);
        if (anonymousId != null && !anonymousId.isEmpty()) {
            return anonymousId;
        }
        throw new Rejection("missing_identity: neither userId nor anonymousId");
    }

    private static String eventName(JsonNode root) throws Rejection {
        String type = text(root, "", "type", false);
        String name = text(root, "", "event", false);
        if (type == null || type.equals("track")) {
            if (name == null || name.isEmpty()) {
                throw new Rejection("missing_event: a track call needs an event name");
            }
            return SNOWPLOW_ACTIONS.getOrDefault(name, name);
        }
        return name != null && !name.isEmpty() ? SNOWPLOW_ACTIONS.getOrDefault(name, name) : type;
    }

    /**
     * Segment's clock-skew correction: a client's clock may be wrong, but the interval between its
     * {@code timestamp} and its {@code sentAt} is measured on the same clock, and {@code receivedAt}
     * is the server's. When both {@code sentAt} and {@code receivedAt} are present, the event time is
     * {@code timestamp + receivedAt − sentAt}; otherwise {@code timestamp} as given. The corrected
     * time must lie in 1990..2200 as well.
     */
    static long correctedTimestamp(JsonNode root) throws Rejection {
        long timestamp = timestamp(root.get("timestamp"));
        JsonNode sentAt = root.get("sentAt");
        JsonNode receivedAt = root.get("receivedAt");
        if (sentAt == null || sentAt.isNull() || receivedAt == null || receivedAt.isNull()) {
            return timestamp;
        }
        long corrected = timestamp + (time(receivedAt, "receivedAt") - time(sentAt, "sentAt"));
        if (corrected < MIN_TIME || corrected >= MAX_TIME) {
            throw new Rejection("invalid_timestamp: timestamp corrected for clock skew (timestamp + receivedAt - sentAt) "
                    + Instant.ofEpochMilli(corrected) + " is outside 1990..2200");
        }
        return corrected;
    }

    private static long time(JsonNode node, String field) throws Rejection {
        try {
            return timestamp(node);
        } catch (Rejection r) {
            throw new Rejection(r.getMessage().replaceFirst("^invalid_timestamp: ", "invalid_timestamp: " + field + " "));
        }
    }

    static long timestamp(JsonNode node) throws Rejection {
        if (node == null || node.isNull()) {
            throw new Rejection("missing_timestamp");
        }
        long millis;
        if (node.isIntegralNumber()) {
            millis = node.asLong();
        } else if (node.isTextual()) {
            millis = parseTime(node.asText());
        } else {
            throw new Rejection("invalid_timestamp: expected an ISO-8601 string or epoch milliseconds, got " + node);
        }
        if (millis < MIN_TIME || millis >= MAX_TIME) {
            throw new Rejection("invalid_timestamp: " + node + " is outside 1990..2200 (epoch seconds instead of milliseconds?)");
        }
        return millis;
    }

    private static long parseTime(String text) throws Rejection {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 18) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new Rejection("invalid_timestamp: '" + text + "' is not ISO-8601 or epoch milliseconds");
            }
        }
    }

    private static String text(JsonNode parent, String prefix, String field, boolean allowWholeNumber) throws Rejection {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (allowWholeNumber && node.isIntegralNumber()) {
            return node.asText();
        }
        throw new Rejection("wrong_type: " + prefix + field + " must be a string" + (allowWholeNumber ? " or a whole number" : "")
                + ", was " + node.getNodeType().name().toLowerCase());
    }

    private static Double number(JsonNode parent, String field, double min, double max) throws Rejection {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new Rejection("wrong_type: properties." + field + " must be a number, was " + node.getNodeType().name().toLowerCase());
        }
        double v = node.asDouble();
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new Rejection("invalid_value: properties." + field + " = " + node + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

}
