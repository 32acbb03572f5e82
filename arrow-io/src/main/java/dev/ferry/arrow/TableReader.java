package dev.ferry.arrow;

import java.io.IOException;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/** An ArrowReader over a Table's batches: buffers are shared (reference counted), never copied. */
final class TableReader extends ArrowReader {
    private final Table table;
    private int next;

    TableReader(Table table, BufferAllocator allocator) {
        super(allocator);
        this.table = table;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        if (next >= table.batches().size()) {
            return false;
        }
        ArrowRecordBatch rb = new VectorUnloader(table.batches().get(next++)).getRecordBatch();
        loadRecordBatch(rb); // closes rb
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
    }

    @Override
    protected Schema readSchema() {
        return table.schema();
    }
}
