package io.liftstream.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftstream.events.EventType;
import io.liftstream.events.ShopperEvent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

class SegmentEventParserTest {
    private final SegmentEventParser parser = new SegmentEventParser();

    private static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();

    private ShopperEvent ok(String line) {
        ParsedLine parsed = parser.parse(line);
        assertThat(parsed.error).as("rejection of %s", line).isNull();
        assertThat(parsed.line).isEqualTo(line);
        return parsed.event;
    }

    private String rejected(String line) {
        ParsedLine parsed = parser.parse(line);
        assertThat(parsed.event).as("event parsed from %s", line).isNull();
        assertThat(parsed.line).isEqualTo(line);
        return parsed.error;
    }

    @Test
    void parsesASegmentProductAdded() {
        ShopperEvent e = ok("{\"type\":\"track\",\"event\":\"Product Added\",\"userId\":\"u1\",\"anonymousId\":\"a1\","
                + "\"messageId\":\"m1\",\"timestamp\":\"2026-11-20T10:00:00.000Z\",\"properties\":{\"product_id\":\"p1\","
                + "\"sku\":\"S-1\",\"price\":19.9,\"quantity\":2,\"cart_id\":\"c1\",\"order_id\":\"o1\",\"revenue\":39.8,"
                + "\"value\":40,\"currency\":\"EUR\"}}");
        assertThat(e.userId).isEqualTo("u1");
        assertThat(e.messageId).isEqualTo("m1");
        assertThat(e.type).isEqualTo(EventType.PRODUCT_ADDED);
        assertThat(e.event).isEqualTo("Product Added");
        assertThat(e.timestamp).isEqualTo(T0);
        assertThat(e.productId).isEqualTo("p1");
        assertThat(e.sku).isEqualTo("S-1");
        assertThat(e.price).isEqualTo(19.9);
        assertThat(e.quantity).isEqualTo(2);
        assertThat(e.cartId).isEqualTo("c1");
        assertThat(e.orderId).isEqualTo("o1");
        assertThat(e.revenue).isEqualTo(39.8);
        assertThat(e.value).isEqualTo(40.0);
        assertThat(e.currency).isEqualTo("EUR");
    }

    @Test
    void identityFallsBackToAnonymousId() {
        assertThat(ok("{\"event\":\"Product Viewed\",\"anonymousId\":\"anon-7\",\"timestamp\":\"2026-11-20T10:00:00Z\"}").userId)
                .isEqualTo("anon-7");
        assertThat(ok("{\"event\":\"Product Viewed\",\"userId\":\"\",\"anonymousId\":\"anon-7\",\"timestamp\":\"2026-11-20T10:00:00Z\"}").userId)
                .isEqualTo("anon-7");
    }

    @Test
    void acceptsEpochMillisAndOffsets() {
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":" + T0 + "}").timestamp).isEqualTo(T0);
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"" + T0 + "\"}").timestamp).isEqualTo(T0);
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T11:00:00+01:00\"}").timestamp).isEqualTo(T0);
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00.123Z\"}").timestamp).isEqualTo(T0 + 123);
    }

    @Test
    void otherEventsAreActivity() {
        ShopperEvent e = ok("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"}");
        assertThat(e.type).isEqualTo(EventType.OTHER);
        assertThat(e.event).isEqualTo("Signed Up");
        ShopperEvent page = ok("{\"type\":\"page\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"}");
        assertThat(page.type).isEqualTo(EventType.OTHER);
        assertThat(page.event).isEqualTo("page");
    }

    @ParameterizedTest
    @CsvSource({
        "add_to_cart, PRODUCT_ADDED",
        "remove_from_cart, PRODUCT_REMOVED",
        "product_view, PRODUCT_VIEWED",
        "checkout_step, CHECKOUT_STARTED",
        "transaction, ORDER_COMPLETED",
        "list_view, OTHER"
    })
    void mapsSnowplowEcommerceActions(String action, EventType expected) {
        ShopperEvent e = ok("{\"event\":\"" + action + "\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"}");
        assertThat(e.type).isEqualTo(expected);
    }

    @Test
    void missingMessageIdIsDerivedDeterministicallyFromTheLine() {
        String line = "{\"event\":\"Product Viewed\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"}";
        String other = "{\"event\":\"Product Viewed\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:01Z\"}";
        assertThat(ok(line).messageId).isEqualTo(ok(line).messageId).isNotEqualTo(ok(other).messageId).hasSize(36);
    }

    @Test
    void numericIdsAreAcceptedAsText() {
        ShopperEvent e = ok("{\"event\":\"Product Added\",\"userId\":42,\"timestamp\":\"2026-11-20T10:00:00Z\","
                + "\"properties\":{\"product_id\":1715,\"order_id\":7}}");
        assertThat(e.userId).isEqualTo("42");
        assertThat(e.productId).isEqualTo("1715");
        assertThat(e.orderId).isEqualTo("7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json | malformed_json:",
        "{\"event\":\"x\"  | malformed_json:",
        "[1,2] | malformed_json: not a JSON object",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"} trailing | malformed_json:",
        "{\"event\":\"x\",\"timestamp\":\"2026-11-20T10:00:00Z\"} | missing_identity",
        "{\"event\":\"x\",\"userId\":\"\",\"anonymousId\":\"\",\"timestamp\":\"2026-11-20T10:00:00Z\"} | missing_identity",
        "{\"event\":\"x\",\"userId\":\"u\"} | missing_timestamp",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":null} | missing_timestamp",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"yesterday\"} | invalid_timestamp",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":1763632800} | invalid_timestamp",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":true} | invalid_timestamp",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"9999-01-01T00:00:00Z\"} | invalid_timestamp",
        "{\"type\":\"track\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"} | missing_event",
        "{\"event\":\"x\",\"userId\":{\"id\":1},\"timestamp\":\"2026-11-20T10:00:00Z\"} | wrong_type: userId",
        "{\"event\":7,\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\"} | wrong_type: event",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":[]} | wrong_type: properties must be an object",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{\"price\":\"19.9\"}} | wrong_type: properties.price must be a number",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{\"price\":-1}} | invalid_value: properties.price",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{\"quantity\":1.5}} | wrong_type: properties.quantity must be a whole number",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{\"quantity\":5000000}} | invalid_value: properties.quantity",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{\"currency\":1}} | wrong_type: properties.currency must be a string",
        "{\"event\":\"x\",\"userId\":\"u\",\"timestamp\":\"2026-11-20T10:00:00Z\",\"properties\":{\"product_id\":1.5}} | wrong_type: properties.product_id must be a string or a whole number",
    })
    void rejectsBadLinesWithAClearReason(String line, String reasonPrefix) {
        assertThat(rejected(line)).startsWith(reasonPrefix.trim());
    }

    @Test
    void blankLinesAreRecognised() {
        assertThat(SegmentEventParser.isBlank("   ")).isTrue();
        assertThat(SegmentEventParser.isBlank("{}")).isFalse();
    }

    /**
     * Segment's clock-skew correction: a phone whose clock is 3 days ahead sends an event stamped
     * with its clock (timestamp, sentAt); the server receives it 2 s after sentAt by its own clock.
     * The event happened 5 s before sentAt: event time = timestamp + receivedAt − sentAt.
     */
    @Test
    void correctsTheClientsClockSkewWithSentAtAndReceivedAt() {
        long skew = 3 * 24 * 3_600_000L;
        long sentAt = T0 + skew;
        long timestamp = sentAt - 5_000;
        long receivedAt = T0 + 2_000;
        ShopperEvent e = ok("{\"event\":\"Product Viewed\",\"userId\":\"u1\",\"timestamp\":\"" + Instant.ofEpochMilli(timestamp)
                + "\",\"sentAt\":\"" + Instant.ofEpochMilli(sentAt) + "\",\"receivedAt\":" + receivedAt + "}");
        assertThat(e.timestamp).isEqualTo(T0 - 3_000);
    }

    @Test
    void withoutBothSentAtAndReceivedAtTheTimestampIsTakenAsGiven() {
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u1\",\"timestamp\":" + T0 + ",\"sentAt\":" + (T0 + 60_000) + "}").timestamp)
                .isEqualTo(T0);
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u1\",\"timestamp\":" + T0 + ",\"receivedAt\":" + (T0 + 60_000) + "}").timestamp)
                .isEqualTo(T0);
        assertThat(ok("{\"event\":\"x\",\"userId\":\"u1\",\"timestamp\":" + T0 + ",\"sentAt\":null,\"receivedAt\":" + (T0 + 60_000) + "}").timestamp)
                .isEqualTo(T0);
    }

    @Test
    void aBadSentAtOrACorrectedTimeOutOfRangeIsRefused() {
        assertThat(rejected("{\"event\":\"x\",\"userId\":\"u1\",\"timestamp\":" + T0 + ",\"sentAt\":\"yesterday\",\"receivedAt\":" + T0 + "}"))
                .startsWith("invalid_timestamp: sentAt 'yesterday'");
        long farPast = Instant.parse("1991-01-01T00:00:00Z").toEpochMilli();
        assertThat(rejected("{\"event\":\"x\",\"userId\":\"u1\",\"timestamp\":" + farPast + ",\"sentAt\":" + T0
                + ",\"receivedAt\":" + (farPast + 1000) + "}"))
                .startsWith("invalid_timestamp: timestamp corrected for clock skew");
    }
}
