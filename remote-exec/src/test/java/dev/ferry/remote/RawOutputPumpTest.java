package dev.ferry.remote;

import dev.ferry.remote.protocol.Ops;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RawOutputPumpTest {
    final StringBuilder text = new StringBuilder();
    final List<String> order = new ArrayList<>();
    final RawOutputPump pump = new RawOutputPump(null, (n, t) -> {
        text.append(t);
        order.add("text:" + t);
    }, id -> order.add("sync:" + id), code -> order.add("exit:" + code));

    void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        pump.accept(b, b.length);
    }

    @Test
    void markersAreRemovedAndReportedInOrder() {
        feed("abc" + Ops.RAW_SYNC_PREFIX + "7\nafter");
        assertEquals("abcafter", text.toString());
        assertEquals(List.of("text:abc", "sync:7", "text:after"), order);
    }

    @Test
    void theExitStatusAtTheEndOfASparesOutputIsReportedAndNotShown() {
        feed("last words\n" + Ops.RAW_SYNC_PREFIX + "3\n");
        String all = Ops.RAW_EXIT_PREFIX + "137\n";
        for (char c : all.toCharArray()) {
            feed(String.valueOf(c));
        }
        assertEquals("last words\n", text.toString());
        assertEquals(List.of("text:last words\n", "sync:3", "exit:137"), order);
    }

    @Test
    void markerSplitAcrossReads() {
        String all = "x" + Ops.RAW_SYNC_PREFIX + "12\ny";
        for (char c : all.toCharArray()) {
            feed(String.valueOf(c));
        }
        assertEquals("xy", text.toString());
        assertTrue(order.contains("sync:12"));
        assertTrue(order.indexOf("sync:12") < order.indexOf("text:y"));
    }

    @Test
    void multiByteCharactersAreNotSplit() {
        byte[] b = "é😀".getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            pump.accept(new byte[] {x}, 1);
        }
        assertEquals("é😀", text.toString());
    }

    @Test
    void keepsTheLastLinesForDeathReports() {
        for (int i = 0; i < 30; i++) {
            feed("line " + i + "\n");
        }
        feed("partial");
        List<String> last = pump.lastLines();
        assertEquals("line 10", last.get(0));
        assertEquals("partial", last.get(last.size() - 1));
    }
}
