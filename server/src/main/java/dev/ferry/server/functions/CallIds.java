package dev.ferry.server.functions;

import java.security.SecureRandom;

/**
 * Function call ids: {@code fc-} then 26 characters of Crockford base 32 (lower case) over 48 bits of
 * milliseconds and 80 random bits, so ids sort by creation time and cannot be guessed.
 */
public final class CallIds {
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String PREFIX = "fc-";

    private CallIds() {
    }

    public static String next(long nowMs) {
        byte[] rnd = new byte[10];
        RANDOM.nextBytes(rnd);
        java.math.BigInteger v = java.math.BigInteger.valueOf(nowMs & 0xFFFF_FFFF_FFFFL).shiftLeft(80)
                .or(new java.math.BigInteger(1, rnd));
        StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = 25; i >= 0; i--) {
            sb.append(ALPHABET.charAt(v.shiftRight(i * 5).intValue() & 31));
        }
        return sb.toString();
    }

    /** Whether {@code id} has the form of a call id. */
    public static boolean valid(String id) {
        if (id == null || id.length() != PREFIX.length() + 26 || !id.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < id.length(); i++) {
            if (ALPHABET.indexOf(id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
