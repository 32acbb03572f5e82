package dev.ferry.remote.protocol;

/** Helpers for cutting byte streams at UTF-8 character boundaries. */
public final class Utf8 {
    private Utf8() {}

    /**
     * The length of the longest prefix of {@code bytes[0, len)} that does not end inside a multi-byte
     * character; the rest must wait for more bytes.
     */
    public static int completePrefix(byte[] bytes, int len) {
        int i = len - 1;
        int back = 0;
        while (i >= 0 && back < 4 && (bytes[i] & 0xC0) == 0x80) { // continuation bytes
            i--;
            back++;
        }
        if (i < 0) {
            return len;
        }
        int lead = bytes[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        int have = len - i;
        return have < need ? i : len;
    }
}
