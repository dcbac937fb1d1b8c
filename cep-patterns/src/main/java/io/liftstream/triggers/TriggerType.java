package io.liftstream.triggers;

/** The behavioural moments Liftstream detects; {@link #id()} is the name used on the wire. */
public enum TriggerType {
    CART_ABANDONED("cart_abandoned"),
    CHECKOUT_ABANDONED("checkout_abandoned"),
    BROWSE_ABANDONED("browse_abandoned"),
    ENGAGEMENT_SPIKE("engagement_spike");

    private final String id;

    TriggerType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static TriggerType ofId(String id) {
        for (TriggerType t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown trigger '" + id + "' (known: cart_abandoned, checkout_abandoned, browse_abandoned, engagement_spike)");
    }
}
