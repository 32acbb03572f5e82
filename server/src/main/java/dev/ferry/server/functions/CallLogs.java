package dev.ferry.server.functions;

import dev.ferry.proto.v1.LogChunk;
import dev.ferry.proto.v1.LogsReply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each call's attempts print (stdout and stderr, in the order printed), at most {@value #MAX_BYTES} bytes a
 * call: kept in memory while an attempt runs (so a follower sees it live) and written to calls.sqlite's
 * {@code logs} table when the attempt ends. Logs are purged with their call (7 days).
 */
final class CallLogs {
    static final int MAX_BYTES = 1 << 20;

    /** The chunks of one call so far: those written, then those of the running attempt. */
    private static final class Live {
        final List<LogChunk> pending = new ArrayList<>();
        int written;
        long bytes;
        long truncated;
    }

    private final CallsDb db;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    CallLogs(CallsDb db) {
        this.db = db;
    }

    /** The sink of one attempt; {@link #flush} writes it. */
    CallRunner.LogSink sink(String id, int attempt) {
        Live l = live.computeIfAbsent(id, k -> {
            Live n = new Live();
            n.written = db.logCount(id);
            n.bytes = db.logBytes(id);
            return n;
        });
        return (stream, text) -> {
            synchronized (l) {
                long size = text.getBytes(StandardCharsets.UTF_8).length;
                if (l.bytes + size > MAX_BYTES) {
                    l.truncated += size;
                    return;
                }
                l.bytes += size;
                l.pending.add(LogChunk.newBuilder().setStream(stream).setText(text).setAttempt(attempt).build());
            }
        };
    }

    /** Writes what the running attempt printed (at its end); {@code last}: the call ended, forget it. */
    void flush(String id, boolean last) {
        Live l = live.get(id);
        if (l == null) {
            return;
        }
        synchronized (l) {
            List<LogChunk> chunks = new ArrayList<>(l.pending);
            if (l.truncated > 0 && last) {
                chunks.add(LogChunk.newBuilder().setStream("stderr").setAttempt(chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).getAttempt())
                        .setText("[ferry] " + l.truncated + " more bytes of output were dropped: a call keeps at most 1 MiB of logs\n").build());
            }
            db.appendLogs(id, l.written, chunks);
            l.written += chunks.size();
            l.pending.clear();
        }
        if (last) {
            live.remove(id);
        }
    }

    /** The chunks a call has printed so far. */
    int count(String id) {
        Live l = live.get(id);
        if (l != null) {
            synchronized (l) {
                return l.written + l.pending.size();
            }
        }
        return db.logCount(id);
    }

    /** The chunks from {@code from} on, written ones and live ones. */
    LogsReply read(String id, int from, boolean finished) {
        LogsReply.Builder b = LogsReply.newBuilder();
        List<LogChunk> stored = db.logs(id, from);
        b.addAllChunks(stored);
        int next = from + stored.size();
        Live l = live.get(id);
        if (l != null) {
            synchronized (l) {
                int firstLive = l.written;
                if (next >= firstLive) {
                    for (int i = next - firstLive; i < l.pending.size(); i++) {
                        b.addChunks(l.pending.get(i));
                    }
                    next = Math.max(next, firstLive + l.pending.size());
                }
                b.setTruncatedBytes(l.truncated);
            }
        }
        return b.setNext(Math.max(next, from)).setFinished(finished && l == null).build();
    }
}
