package dev.ferry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {
    record Shown(Map<String, Object> bundle, String id, boolean update) {
        String text() {
            return (String) bundle.get("text/plain");
        }

        String html() {
            return (String) bundle.get("text/html");
        }
    }

    private final List<Shown> shown = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private Progress start(String label, long total) {
        return Progress.start(label, total, (b, id, u) -> shown.add(new Shown(b, id, u)), now::get);
    }

    @Test
    void textFallback() {
        assertEquals("Building: 42/100 [========            ] 42%", Progress.text("Building", 42, 100, false));
        assertEquals("Building: 0/100 [                    ] 0%", Progress.text("Building", 0, 100, false));
        assertEquals("Building: 100/100 [====================] 100%", Progress.text("Building", 100, 100, true));
        assertEquals("Building: 150/100 [====================] 100%", Progress.text("Building", 150, 100, false));
        assertEquals("7/10 [==============      ] 70%", Progress.text("", 7, 10, false));
        assertEquals("Scanning: 42", Progress.text("Scanning", 42, 0, false));
        assertEquals("Scanning: 42 (done)", Progress.text("Scanning", 42, -1, true));
    }

    @Test
    void htmlBar() {
        String html = Progress.html("Build <x>", 42, 100, false);
        assertTrue(html.contains("<progress value=\"42\" max=\"100\""), html);
        assertTrue(html.contains("Build &lt;x&gt;"), html);
        assertTrue(html.contains("42/100 (42%)"), html);
        assertTrue(Progress.html("", 3, 0, false).contains("<progress style"), "indeterminate bar");
    }

    @Test
    void firstShowsThenUpdatesUnderOneId() {
        Progress p = start("Building", 3);
        now.addAndGet(Progress.MIN_INTERVAL_NANOS);
        p.advance();
        now.addAndGet(Progress.MIN_INTERVAL_NANOS);
        p.advance(2);
        p.done();
        assertEquals(4, shown.size(), shown.toString());
        assertFalse(shown.get(0).update());
        assertTrue(shown.get(0).text().startsWith("Building: 0/3"));
        for (Shown s : shown.subList(1, shown.size())) {
            assertTrue(s.update());
            assertEquals(p.displayId(), s.id());
        }
        assertEquals(p.displayId(), shown.get(0).id());
        assertEquals("Building: 3/3 [====================] 100%", shown.get(3).text());
    }

    @Test
    void updatesAreThrottledAndTheFinalOneIsAlwaysSent() {
        Progress p = start("Loop", 1000);
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(1_000_000L); // 1 ms a step: 1 s in all
            p.advance();
        }
        p.done();
        // the first show, about 10 updates for a second of work, and the final one
        assertTrue(shown.size() >= 10 && shown.size() <= 13, "shown " + shown.size());
        assertTrue(shown.get(shown.size() - 1).text().endsWith("1000/1000 [====================] 100%"));
        long updates = shown.stream().filter(Shown::update).count();
        assertEquals(shown.size() - 1, updates);
    }

    @Test
    void aPendingChangeIsShownByTheNextCallAfterTheInterval() {
        Progress p = start("x", 10);
        p.set(5);
        assertEquals(1, shown.size());
        assertTrue(p.pending());
        now.addAndGet(Progress.MIN_INTERVAL_NANOS);
        p.label("y");
        assertEquals(2, shown.size());
        assertEquals("y: 5/10 [==========          ] 50%", shown.get(1).text());
        assertFalse(p.pending());
    }

    @Test
    void doneIsIdempotentAndEndsUpdates() {
        Progress p = start("x", 2);
        p.set(2);
        p.done();
        int n = shown.size();
        p.done();
        now.addAndGet(10 * Progress.MIN_INTERVAL_NANOS);
        p.advance();
        p.close();
        assertEquals(n, shown.size());
        assertTrue(p.isDone());
    }
}
