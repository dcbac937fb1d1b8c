package io.liftstream.events;

/**
 * The shopper events Liftstream interprets. Every other event is {@link #OTHER}: accepted, and
 * counted as activity (for example by the engagement-spike trigger).
 */
public enum EventType {
    PRODUCT_VIEWED("Product Viewed"),
    PRODUCT_ADDED("Product Added"),
    PRODUCT_REMOVED("Product Removed"),
    CHECKOUT_STARTED("Checkout Started"),
    ORDER_COMPLETED("Order Completed"),
    OTHER(null);

    private final String segmentName;

    EventType(String segmentName) {
        this.segmentName = segmentName;
    }

    /** The Segment e-commerce spec V2 event name, or null for {@link #OTHER}. */
    public String segmentName() {
        return segmentName;
    }

    /** The type of a Segment event name; names outside the e-commerce set map to {@link #OTHER}. */
    public static EventType ofSegmentName(String name) {
        for (EventType type : values()) {
            if (type.segmentName != null && type.segmentName.equals(name)) {
                return type;
            }
        }
        return OTHER;
    }
}
