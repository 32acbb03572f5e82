package dev.ferry.remote.display;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextTest {
    @Test
    void terminalEscapesAreStripped() {
        assertEquals("E: Unable to locate package x", Text.stripAnsi("\u001b[91mE: Unable to locate package x\u001b[0m"));
        assertEquals("bold green", Text.stripAnsi("\u001b[1;32mbold\u001b[0m \u001b[32mgreen\u001b(B"));
        assertEquals("title gone", Text.stripAnsi("\u001b]0;a title\u0007title gone"));
        assertEquals("100%", Text.stripAnsi("10%\r50%\r100%"));
        assertEquals("plain [brackets] stay", Text.stripAnsi("plain [brackets] stay"));
    }
}
