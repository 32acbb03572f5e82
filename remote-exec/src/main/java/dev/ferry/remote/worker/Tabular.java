package dev.ferry.remote.worker;

import dev.ferry.arrow.ArrowIpc;
import dev.ferry.arrow.JdbcArrow;
import dev.ferry.arrow.Table;

import java.util.List;
import java.util.Optional;

/** A cell's value as an Arrow table, when it is tabular: a {@link Table}, a list of records, a ResultSet. */
final class Tabular {
    private Tabular() {}

    static Optional<Table> of(Object value) throws java.sql.SQLException {
        if (value instanceof Table t) {
            return Optional.of(t);
        }
        if (value instanceof java.sql.ResultSet rs) {
            return Optional.of(JdbcArrow.fromResultSet(rs));
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Record first
                && list.stream().allMatch(r -> r != null && r.getClass() == first.getClass())) {
            @SuppressWarnings("unchecked")
            List<Record> records = (List<Record>) list;
            return Optional.of(Table.fromRecords(records));
        }
        return Optional.empty();
    }

    /** IPC stream bytes of the value, or empty when it is not tabular. */
    static Optional<byte[]> arrowBytes(Object value) throws java.sql.SQLException {
        Optional<Table> t = of(value);
        return t.map(ArrowIpc::toBytes);
    }

    /** What the value is, for an error saying it cannot come back as a table. */
    static String describe(Object value) {
        return value == null ? "no value" : value.getClass().getName().startsWith("REPL.")
                ? value.getClass().getSimpleName() : value.getClass().getName();
    }
}
