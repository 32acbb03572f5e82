package dev.ferry.storage;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Validation and display of object names and partition keys. */
final class Names {
    static final int MAX_NAME = 64;
    static final int MAX_PARTITION_BYTES = 64;
    /** Ephemeral names start with a character that named objects cannot use. */
    static final String EPHEMERAL_PREFIX = "~";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME + "}");

    private Names() {
    }

    static String checkName(Store.Kind kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + kind.label() + " name " + quote(name)
                    + ": use 1 to " + MAX_NAME + " characters from A-Z a-z 0-9 . _ -");
        }
        return name;
    }

    /** The stored form of a partition key: "" for the default partition (null). */
    static String partition(String partition) {
        if (partition == null) {
            return "";
        }
        int n = partition.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > MAX_PARTITION_BYTES) {
            throw new IllegalArgumentException("invalid queue partition key " + quote(partition) + ": use 1 to "
                    + MAX_PARTITION_BYTES + " bytes (UTF-8), or null for the default partition");
        }
        return partition;
    }

    static String describe(Store.Kind kind, String name) {
        return name != null && name.startsWith(EPHEMERAL_PREFIX)
                ? "ephemeral " + kind.label() + " " + name.substring(1)
                : kind.label() + " '" + name + "'";
    }

    static String describePartition(String stored) {
        return stored.isEmpty() ? "the default partition" : "partition '" + stored + "'";
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
