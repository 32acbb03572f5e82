package dev.ferry.storage;

/** Queue limits (Modal's documented ones by default; tests may shrink them). */
record Limits(int maxItemBytes, int maxItemsPerPartition, int maxPartitions) {
    static final Limits DEFAULT = new Limits(dev.ferry.Queue.MAX_ITEM_BYTES,
            dev.ferry.Queue.MAX_ITEMS_PER_PARTITION, dev.ferry.Queue.MAX_PARTITIONS);
}
