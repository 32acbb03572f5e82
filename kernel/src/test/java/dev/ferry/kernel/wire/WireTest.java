package dev.ferry.kernel.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WireTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> message(Signer signer, String header, String content) {
        List<byte[]> f = new ArrayList<>();
        f.add(b("client-identity"));
        f.add(b("<IDS|MSG>"));
        f.add(signer.sign(b(header), b("{}"), b("{}"), b(content)));
        f.add(b(header));
        f.add(b("{}"));
        f.add(b("{}"));
        f.add(b(content));
        return f;
    }

    static final String HEADER = "{\"msg_id\":\"1\",\"msg_type\":\"execute_request\",\"session\":\"s\",\"username\":\"u\",\"version\":\"5.3\"}";

    @Test
    void knownHmacVector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        Signer s = new Signer("Jefe", "hmac-sha256");
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new String(s.sign(b("what do ya want "), b("for nothing?")), StandardCharsets.US_ASCII));
    }

    @Test
    void acceptsCorrectlySignedMessages() {
        Signer s = new Signer("secret", "hmac-sha256");
        var m = new Wire(s).parse(message(s, HEADER, "{\"code\":\"1+1\"}"));
        assertNotNull(m);
        assertEquals("execute_request", m.type());
        assertEquals("1+1", m.str("code", null));
        assertEquals("client-identity", new String(m.identities().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void dropsWrongAndMissingSignatures() {
        Signer s = new Signer("secret", "hmac-sha256");
        Wire w = new Wire(s);
        List<byte[]> wrong = message(new Signer("other", "hmac-sha256"), HEADER, "{\"code\":\"1+1\"}");
        assertNull(w.parse(wrong));
        List<byte[]> missing = message(s, HEADER, "{}");
        missing.set(2, new byte[0]);
        assertNull(w.parse(missing));
        List<byte[]> tampered = message(s, HEADER, "{\"code\":\"1+1\"}");
        tampered.set(6, b("{\"code\":\"System.exit(0)\"}"));
        assertNull(w.parse(tampered));
    }

    @Test
    void dropsMalformedEnvelopes() {
        Wire w = new Wire(new Signer("", ""));
        assertNull(w.parse(List.of(b("no delimiter"))));
        assertNull(w.parse(List.of(b("<IDS|MSG>"), b(""), b("{}"))));
        assertNull(w.parse(List.of(b("<IDS|MSG>"), b(""), b("not json"), b("{}"), b("{}"), b("{}"))));
    }

    @Test
    void emptyKeyMeansNoSigning() {
        Signer s = new Signer("", "hmac-sha256");
        assertFalse(s.enabled());
        assertEquals(0, s.sign(b("x")).length);
        assertNotNull(new Wire(s).parse(message(s, HEADER, "{}")));
    }

    @Test
    void refusesUnknownSchemes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Signer("k", "hmac-md5"));
        assertTrue(e.getMessage().contains("hmac-sha256"));
    }
}
