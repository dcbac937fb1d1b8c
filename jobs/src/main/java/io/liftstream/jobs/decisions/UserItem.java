package io.liftstream.jobs.decisions;

/**
 * One thing that happens to a user, keyed by user id and processed by {@link DecisionFunction} in
 * event-time order: a decision request, a trigger, an outcome event or a control event. At equal
 * timestamps items run in {@link #kind} order: control first (so a consent change applies from the
 * next event on, and a deletion before anything else at that instant), then outcomes, requests and
 * triggers; requests and triggers of one instant by id. Reward windows end after every item at
 * their last millisecond (so an outcome then still counts). A Flink POJO: unused fields are null.
 */
public class UserItem {
    public static final int CONTROL = 0;
    public static final int OUTCOME = 1;
    public static final int REQUEST = 2;
    public static final int TRIGGER = 3;

    public int kind;
    public String userId;
    /** Event time, epoch milliseconds. */
    public long timestamp;

    /** Request: request_id; trigger: trigger_id. */
    public String requestId;
    /** Request: the experiment asked for. */
    public String experimentId;
    /** Trigger: its type, e.g. cart_abandoned. */
    public String trigger;

    /** Outcome: the Segment event name and its numeric properties. */
    public String event;
    public Double revenue;
    public Double value;
    public Double price;
    public Integer quantity;

    /** Control: consent | suppression | delete_user, and the status (opt_out/opt_in, add/remove). */
    public String control;
    public String status;

    /**
     * Outcome simulated by a {@link ResponseModel}: the decision it responds to (null for outcomes
     * read from the events stream).
     */
    public String respondsTo;

    public UserItem() {}

    /** The numeric property a reward's {@code value} names, or null when absent or not supported. */
    public Double property(String name) {
        switch (name) {
            case "revenue":
                return revenue;
            case "value":
                return value;
            case "price":
                return price;
            case "quantity":
                return quantity == null ? null : quantity.doubleValue();
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        return "UserItem{kind=" + kind + ", user=" + userId + ", t=" + timestamp
                + (requestId != null ? ", request=" + requestId : "") + (experimentId != null ? ", experiment=" + experimentId : "")
                + (event != null ? ", event=" + event : "") + (control != null ? ", " + control + "=" + status : "") + '}';
    }
}
