package dev.ferry.storage;

/** Queue limits (Modal's documented ones by default; tests may shrink them). */
record Limits(int maxItemBytes, int maxItemsPerPartition, int maxPartitions) {
    static final Limits DEFAULT = new Limits(Queue.MAX_ITEM_BYTES, Queue.MAX_ITEMS_PER_PARTITION, Queue.MAX_PARTITIONS);
}
