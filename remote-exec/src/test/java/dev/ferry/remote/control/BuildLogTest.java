package dev.ferry.remote.control;

import dev.ferry.remote.WorkerEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildLogTest {
    @Test
    void aBrowserGetsNoTerminalEscapesAndEachStepOnce() {
        List<WorkerEvent.Display> shown = new ArrayList<>();
        BuildLog log = new BuildLog(e -> shown.add((WorkerEvent.Display) e));
        log.accept("building ferry/image:0123456789abcdef (2 steps)");
        log.accept("Step 1/2 : FROM ferry/base:bookworm-jdk17");
        log.accept("Step 2/2 : RUN apt-get install -y nosuchpkg");
        log.accept("\u001b[91mE: Unable to locate package nosuchpkg\n\u001b[0m");
        log.done(false);
        var data = shown.get(shown.size() - 1).frame().getAsJsonObject("data");
        String html = data.get("text/html").getAsString();
        String text = data.get("text/plain").getAsString();
        assertFalse(html.contains("\u001b") || text.contains("\u001b"), html + "\n" + text);
        assertFalse(html.contains("[91m") || text.contains("[0m"), html);
        assertTrue(html.contains("E: Unable to locate package nosuchpkg"), html);
        assertEquals(1, text.split("Step 2/2", -1).length - 1, text); // the step line, once
        assertTrue(text.startsWith("building ferry/image:0123456789abcdef (2 steps) \u2014 step 2/2\n"), text);
        assertTrue(text.endsWith("(build failed)"), text);
    }
}
