package dev.ferry.remote.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A list of byte arrays (null allowed) in one frame body: u32 count, then per item i32 length (-1: null) and bytes. */
public final class Blobs {
    private Blobs() {}

    public static byte[] encode(List<byte[]> items) {
        int size = 4;
        for (byte[] b : items) {
            size += 4 + (b == null ? 0 : b.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(items.size());
        for (byte[] b : items) {
            out.putInt(b == null ? -1 : b.length);
            if (b != null) {
                out.put(b);
            }
        }
        return out.array();
    }

    public static List<byte[]> decode(byte[] body) {
        if (body == null || body.length == 0) {
            return List.of();
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        int n = in.getInt();
        List<byte[]> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.getInt();
            if (len < 0) {
                items.add(null);
            } else {
                byte[] b = new byte[len];
                in.get(b);
                items.add(b);
            }
        }
        return items;
    }
}
