package dev.ferry.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * An immutable, Arrow-backed table: a schema and a list of record batches (each a {@link VectorSchemaRoot} the
 * table owns). Closing the table releases its Arrow memory; a closed table throws {@link IllegalStateException}.
 *
 * <p>Every table allocates from its own child allocator (of {@link #defaultAllocator()} unless one is given), so
 * {@code allocatedBytes()} is exactly what this table holds and closing it returns all of it.
 */
public final class Table implements AutoCloseable, Iterable<Row> {

    /** Rows per record batch for tables built in Java (records, columns, JDBC). */
    public static final int BATCH_ROWS = 64 * 1024;

    private static final AtomicLong IDS = new AtomicLong();
    private static volatile BufferAllocator root;

    private final BufferAllocator allocator;
    private final Schema schema;
    private final List<VectorSchemaRoot> batches;
    private final long[] starts; // starts[i] = first global row of batch i; starts[n] = rowCount
    private volatile boolean closed;

    Table(BufferAllocator allocator, Schema schema, List<VectorSchemaRoot> batches) {
        this.allocator = allocator;
        this.schema = schema;
        this.batches = List.copyOf(batches);
        this.starts = new long[batches.size() + 1];
        for (int i = 0; i < batches.size(); i++) {
            starts[i + 1] = starts[i] + batches.get(i).getRowCount();
        }
    }

    /** The process-wide root allocator that tables use unless given another one. */
    public static BufferAllocator defaultAllocator() {
        BufferAllocator r = root;
        if (r == null) {
            synchronized (Table.class) {
                if (root == null) {
                    root = new RootAllocator(Long.MAX_VALUE);
                }
                r = root;
            }
        }
        return r;
    }

    static BufferAllocator childOf(BufferAllocator parent) {
        BufferAllocator p = parent == null ? defaultAllocator() : parent;
        return p.newChildAllocator("ferry-table-" + IDS.incrementAndGet(), 0, Long.MAX_VALUE);
    }

    // ------------------------------------------------------------------ factories

    /** A table of the given records (one column per record component, in declaration order). */
    public static <R extends Record> Table fromRecords(List<R> records) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("fromRecords: the list is empty, so the record type is unknown; "
                    + "use fromRecords(Class, List)");
        }
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) records.get(0).getClass();
        return fromRecords(type, records);
    }

    /** {@link #fromRecords(List)} allocated from a child of {@code allocator}. */
    public static <R extends Record> Table fromRecords(List<R> records, BufferAllocator allocator) {
        Objects.requireNonNull(records, "records");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("fromRecords: the list is empty, so the record type is unknown; "
                    + "use fromRecords(Class, List, BufferAllocator)");
        }
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) records.get(0).getClass();
        return fromRecords(type, records, allocator);
    }

    /** A table of the given records of {@code type} (the list may be empty). */
    public static <R extends Record> Table fromRecords(Class<R> type, List<R> records) {
        return Builders.fromRecords(type, records, null);
    }

    /** A table of the given records, allocated from {@code allocator}. */
    public static <R extends Record> Table fromRecords(Class<R> type, List<R> records, BufferAllocator allocator) {
        return Builders.fromRecords(type, records, allocator);
    }

    /**
     * A table from named columns (all of the same length; insertion order of the map is column order). Each
     * column's type is inferred from its non-null values; see docs/arrow.md for the mapping.
     */
    public static Table fromColumns(Map<String, ? extends List<?>> columns) {
        return Builders.fromColumns(columns, null);
    }

    /** {@link #fromColumns(Map)} allocated from {@code allocator}. */
    public static Table fromColumns(Map<String, ? extends List<?>> columns, BufferAllocator allocator) {
        return Builders.fromColumns(columns, allocator);
    }

    /**
     * Drains an {@link ArrowReader} into a new table without copying buffers (each batch's vectors are
     * transferred). Dictionary-encoded columns are decoded. The reader is not closed.
     */
    public static Table fromReader(ArrowReader reader, BufferAllocator allocator) throws IOException {
        return fromReader(reader, allocator, 0, null);
    }

    /**
     * Like {@link #fromReader(ArrowReader, BufferAllocator)}, and when the data has more than one batch, hands
     * {@code preview} a small table of the first {@code previewRows} rows as soon as the second batch arrives,
     * before the rest is read (a notebook shows the first rows of a big result at once). The preview shares
     * buffers with the result; the callee closes it.
     */
    public static Table fromReader(ArrowReader reader, BufferAllocator allocator, int previewRows,
                                   java.util.function.Consumer<Table> preview) throws IOException {
        BufferAllocator alloc = childOf(allocator);
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try {
            VectorSchemaRoot in = reader.getVectorSchemaRoot();
            Schema schema = decodedSchema(in.getSchema(), reader);
            while (reader.loadNextBatch()) {
                List<FieldVector> out = new ArrayList<>(in.getFieldVectors().size());
                try {
                    for (int c = 0; c < in.getFieldVectors().size(); c++) {
                        FieldVector v = in.getFieldVectors().get(c);
                        Field target = schema.getFields().get(c);
                        DictionaryEncodingHolder.decodeOrTransfer(v, target, reader, alloc, out);
                    }
                } catch (RuntimeException e) {
                    out.forEach(ValueVector::close);
                    throw e;
                }
                VectorSchemaRoot batch = new VectorSchemaRoot(schema.getFields(), out, in.getRowCount());
                batches.add(batch);
                if (batches.size() == 2 && preview != null && previewRows > 0) {
                    VectorSchemaRoot first = batches.get(0);
                    VectorSchemaRoot head = first.slice(0, Math.min(previewRows, first.getRowCount()));
                    preview.accept(new Table(alloc.newChildAllocator("preview", 0, Long.MAX_VALUE), schema,
                            new ArrayList<>(List.of(head))));
                }
            }
            return new Table(alloc, schema, batches);
        } catch (IOException | RuntimeException e) {
            batches.forEach(VectorSchemaRoot::close);
            alloc.close();
            throw e;
        }
    }

    private static Schema decodedSchema(Schema s, ArrowReader reader) throws IOException {
        List<Field> fields = new ArrayList<>();
        for (Field f : s.getFields()) {
            if (f.getDictionary() != null) {
                Dictionary d = reader.getDictionaryVectors().get(f.getDictionary().getId());
                Field vf = d.getVector().getField();
                fields.add(new Field(f.getName(), new FieldType(f.isNullable(), vf.getType(), null, f.getMetadata()),
                        vf.getChildren()));
            } else {
                fields.add(f);
            }
        }
        return new Schema(fields, s.getCustomMetadata());
    }

    /** Decoding helper kept out of the public surface. */
    static final class DictionaryEncodingHolder {
        static void decodeOrTransfer(FieldVector v, Field target, ArrowReader reader, BufferAllocator alloc,
                                     List<FieldVector> out) throws IOException {
            if (v.getField().getDictionary() != null) {
                Dictionary d = reader.getDictionaryVectors().get(v.getField().getDictionary().getId());
                try (ValueVector decoded = DictionaryEncoder.decode(v, d, alloc)) {
                    TransferPair tp = decoded.getTransferPair(target, alloc);
                    tp.transfer();
                    out.add((FieldVector) tp.getTo());
                }
            } else {
                TransferPair tp = v.getTransferPair(target, alloc);
                tp.transfer();
                out.add((FieldVector) tp.getTo());
            }
        }
    }

    // ------------------------------------------------------------------ shape

    /** Number of rows (over all batches). */
    public long rowCount() {
        return starts[starts.length - 1];
    }

    /** Number of columns. */
    public int columnCount() {
        return schema.getFields().size();
    }

    /** The Arrow schema: column names, types and nullability. */
    public Schema schema() {
        return schema;
    }

    /** Column names in order. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columnCount());
        for (Field f : schema.getFields()) {
            names.add(f.getName());
        }
        return names;
    }

    /** The Arrow type of column {@code index}. */
    public ArrowType columnType(int index) {
        return schema.getFields().get(index).getType();
    }

    /** Index of the column {@code name} (exact match first, then case-insensitive), or -1. */
    public int columnIndex(String name) {
        List<Field> fs = schema.getFields();
        for (int i = 0; i < fs.size(); i++) {
            if (fs.get(i).getName().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < fs.size(); i++) {
            if (fs.get(i).getName().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    int requireColumn(String name) {
        int i = columnIndex(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + name + "'; columns are " + columnNames());
        }
        return i;
    }

    /** The values of column {@code name} as Java values (see docs/arrow.md), nulls included. */
    public List<Object> column(String name) {
        return column(requireColumn(name));
    }

    /** The values of column {@code index} as Java values. */
    public List<Object> column(int index) {
        checkOpen();
        Objects.checkIndex(index, columnCount());
        long n = rowCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("column has " + n + " values: too many for a List; iterate rows");
        }
        List<Object> out = new ArrayList<>((int) n);
        for (VectorSchemaRoot b : batches) {
            FieldVector v = b.getVector(index);
            for (int r = 0, rc = b.getRowCount(); r < rc; r++) {
                out.add(Values.get(v, r));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The row at global index {@code row} (a view: valid while the table is open). */
    public Row row(long row) {
        checkOpen();
        Objects.checkIndex(row, rowCount());
        int b = Arrays.binarySearch(starts, row);
        if (b < 0) {
            b = -b - 2;
        } else {
            while (b + 1 < starts.length - 1 && starts[b + 1] == row) {
                b++; // skip empty batches
            }
        }
        return new Row(this, batches.get(b), (int) (row - starts[b]), row);
    }

    /** Rows in order (views; valid while the table is open). */
    @Override
    public Iterator<Row> iterator() {
        checkOpen();
        return new Iterator<>() {
            int batch = 0;
            int offset = 0;
            long global = 0;

            @Override
            public boolean hasNext() {
                while (batch < batches.size() && offset >= batches.get(batch).getRowCount()) {
                    batch++;
                    offset = 0;
                }
                return batch < batches.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                checkOpen();
                return new Row(Table.this, batches.get(batch), offset++, global++);
            }
        };
    }

    /**
     * Converts every row to a record of {@code type}, matching record components to columns by name (exact, then
     * case-insensitive). A missing column or an incompatible type is an {@link IllegalArgumentException} naming
     * both; a null in a column read into a primitive component is an error naming the row.
     */
    public <R extends Record> List<R> toRecords(Class<R> type) {
        checkOpen();
        return Records.toRecords(this, type);
    }

    // ------------------------------------------------------------------ rendering

    /**
     * Aligned text by {@link TableFormat#DEFAULT}: a header of names and types, the first and last rows when long,
     * and {@code [N rows × M columns (showing k)]}.
     */
    @Override
    public String toString() {
        if (closed) {
            return "Table[closed]";
        }
        return TableFormat.DEFAULT.text(TableView.of(this));
    }

    /**
     * An escaped HTML table captioned with its shape, by {@link TableFormat#DEFAULT} showing at most {@code maxRows}
     * rows (the first and last ones when longer).
     */
    public String toHtml(int maxRows) {
        checkOpen();
        return TableFormat.DEFAULT.withRows(maxRows).html(TableView.of(this));
    }

    /**
     * {@link #toHtml(int)} with {@code caption} in place of the shape ("N rows × M columns"), for a table that is
     * part of something bigger (the first rows of a result still being read).
     */
    public String toHtml(int maxRows, String caption) {
        checkOpen();
        return TableFormat.DEFAULT.withRows(maxRows).html(TableView.of(this), caption);
    }

    /** {@link #toString()} ending in {@code [caption]} instead of the shape. */
    public String toString(String caption) {
        checkOpen();
        return TableFormat.DEFAULT.text(TableView.of(this), caption);
    }

    /** {@code toHtml(TableFormat.DEFAULT.rows())}. */
    public String toHtml() {
        return toHtml(TableFormat.DEFAULT.rows());
    }

    // ------------------------------------------------------------------ memory

    /** Bytes of Arrow memory this table holds. */
    public long allocatedBytes() {
        return closed ? 0 : allocator.getAllocatedMemory();
    }

    /** The allocator this table owns (a child allocator; closed with the table). */
    BufferAllocator allocator() {
        return allocator;
    }

    /** The record batches (owned by this table: do not close or modify). */
    List<VectorSchemaRoot> batches() {
        checkOpen();
        return batches;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Table is closed");
        }
    }

    /** Releases all Arrow memory of this table. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (VectorSchemaRoot b : batches) {
            b.close();
        }
        allocator.close();
    }

    /** A reader over this table's batches (buffers shared, not copied); the table must outlive it. */
    ArrowReader reader(BufferAllocator readerAllocator) {
        checkOpen();
        return new TableReader(this, readerAllocator);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
