package dev.ferry.remote.worker;

/** The request id of the cell now running (or that ran last): output from any thread is charged to it. */
final class CellIds {
    private volatile long current;

    long current() {
        return current;
    }

    void set(long id) {
        current = id;
    }
}
