package dev.ferry.kernel.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Jupyter message signatures: HMAC-SHA256 over header, parent header, metadata and content, hex encoded.
 * Verification compares in constant time. An empty key disables signing (as the protocol says).
 */
public final class Signer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final byte[] key;
    private final ThreadLocal<Mac> mac;

    public Signer(String key, String scheme) {
        this.key = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
        if (this.key.length > 0 && scheme != null && !scheme.isEmpty() && !scheme.equals("hmac-sha256")) {
            throw new IllegalArgumentException("unsupported signature_scheme '" + scheme + "'; Ferry supports hmac-sha256");
        }
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(this.key.length == 0 ? new byte[1] : this.key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    public boolean enabled() {
        return key.length > 0;
    }

    /** Hex signature of the four parts; empty when signing is off. */
    public byte[] sign(byte[]... parts) {
        if (!enabled()) {
            return new byte[0];
        }
        Mac m = mac.get();
        for (byte[] p : parts) {
            m.update(p);
        }
        byte[] raw = m.doFinal();
        byte[] hex = new byte[raw.length * 2];
        for (int i = 0; i < raw.length; i++) {
            hex[2 * i] = HEX[(raw[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[raw[i] & 0xF];
        }
        return hex;
    }

    /** True when {@code signature} matches the parts; compared in constant time. */
    public boolean verify(byte[] signature, byte[]... parts) {
        if (!enabled()) {
            return true;
        }
        byte[] expected = sign(parts);
        byte[] given = new String(signature, StandardCharsets.US_ASCII).toLowerCase().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
