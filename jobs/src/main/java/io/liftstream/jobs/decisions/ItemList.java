package io.liftstream.jobs.decisions;

import java.util.ArrayList;
import java.util.List;

/** The items of one user waiting for one timestamp, in arrival order. A Flink POJO. */
public class ItemList {
    public List<UserItem> items = new ArrayList<>();

    public ItemList() {}
}
