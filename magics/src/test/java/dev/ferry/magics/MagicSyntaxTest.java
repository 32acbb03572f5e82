package dev.ferry.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.magics.ParsedCell.Segment;
import dev.ferry.magics.ParsedCell.Type;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MagicSyntaxTest {

    @Test
    void plainJavaIsOneCodeSegment() {
        ParsedCell c = MagicSyntax.parse("int x = 1;\nx + 1\n");
        assertFalse(c.hasMagics());
        assertFalse(c.isCellMagic());
        assertNull(c.cellMagic());
        assertEquals(List.of(new Segment(Type.CODE, 1, "int x = 1;\nx + 1\n", null, null, null, false)),
            c.segments());
    }

    @Test
    void blankCellHasNoSegments() {
        assertTrue(MagicSyntax.parse("  \n\n").segments().isEmpty());
        assertTrue(MagicSyntax.parse("").segments().isEmpty());
        assertTrue(MagicSyntax.parse(null).segments().isEmpty());
    }

    @Test
    void cellMagicTakesTheRestAsBody() {
        ParsedCell c = MagicSyntax.parse("%%remote gpu=H100 cpu=4\nvar x = 1;\nx\n");
        assertTrue(c.isCellMagic());
        Segment m = c.cellMagic();
        assertEquals(Type.CELL_MAGIC, m.type());
        assertEquals("remote", m.name());
        assertEquals("gpu=H100 cpu=4", m.args());
        assertEquals("var x = 1;\nx\n", m.body());
        assertEquals(1, m.line());
        assertFalse(m.help());
    }

    @Test
    void cellMagicAfterLeadingBlankLines() {
        ParsedCell c = MagicSyntax.parse("\n   \n  %%bash\necho hi");
        assertTrue(c.isCellMagic());
        assertEquals("bash", c.cellMagic().name());
        assertEquals("", c.cellMagic().args());
        assertEquals(3, c.cellMagic().line());
        assertEquals("echo hi", c.cellMagic().body());
    }

    @Test
    void cellMagicWithoutBody() {
        Segment m = MagicSyntax.parse("%%time").cellMagic();
        assertEquals("time", m.name());
        assertEquals("", m.body());
    }

    @Test
    void cellMagicBodyIsNotScanned() {
        Segment m = MagicSyntax.parse("%%bash\n%notAMagic\n%%neither\necho \"unterminated").cellMagic();
        assertEquals("%notAMagic\n%%neither\necho \"unterminated", m.body());
    }

    @Test
    void lineMagicsSplitCodeWithLineNumbers() {
        String cell = "int a = 1;\n%maven org.x:y:1.0\nimport org.x.Y;\n\n  %env HOME\nY.go(a);";
        List<Segment> s = MagicSyntax.parse(cell).segments();
        assertEquals(5, s.size());
        assertEquals(new Segment(Type.CODE, 1, "int a = 1;", null, null, null, false), s.get(0));
        assertEquals(new Segment(Type.LINE_MAGIC, 2, "%maven org.x:y:1.0", "maven", "org.x:y:1.0", "", false),
            s.get(1));
        assertEquals(new Segment(Type.CODE, 3, "import org.x.Y;\n", null, null, null, false), s.get(2));
        assertEquals(new Segment(Type.LINE_MAGIC, 5, "%env HOME", "env", "HOME", "", false), s.get(3));
        assertEquals(new Segment(Type.CODE, 6, "Y.go(a);", null, null, null, false), s.get(4));
    }

    @Test
    void trailingCodeAfterLastMagic() {
        List<Segment> s = MagicSyntax.parse("%cd /tmp\n\nvar f = 1;\n").segments();
        assertEquals(2, s.size());
        assertEquals("cd", s.get(0).name());
        assertEquals(Type.CODE, s.get(1).type());
        assertEquals(2, s.get(1).line());
        assertEquals("\nvar f = 1;\n", s.get(1).text());
    }

    @Test
    void blankCodeBetweenMagicsIsDropped() {
        List<Segment> s = MagicSyntax.parse("%pwd\n   \n%who\n").segments();
        assertEquals(2, s.size());
        assertEquals(1, s.get(0).line());
        assertEquals(3, s.get(1).line());
    }

    @Test
    void helpSuffix() {
        Segment line = MagicSyntax.parse("%timeit?").segments().get(0);
        assertTrue(line.help());
        assertEquals("timeit", line.name());
        Segment twice = MagicSyntax.parse("x();\n%env??\n").segments().get(1);
        assertTrue(twice.help());
        assertEquals("env", twice.name());
        Segment cell = MagicSyntax.parse("%%remote?\n").cellMagic();
        assertTrue(cell.help());
        assertEquals("remote", cell.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "String s = \"\n%notmagic\";",                          // broken string recovers at EOL; the next line is code
        "String s = \"%%bash\";",
        "String s = \"a\" + \"%env X\";",
        "char c = '%';\n",
        "// %time in a comment\nint x;",
        "/* start\n%time\n%%bash\n*/ int x;",
        "/** javadoc\n * %foo\n */ void f() {}",
        "String t = \"\"\"\n%time\n%%bash\n  \\\"\"\" still inside\n\"\"\";",
        "int r = a\n% b;",
        "int r = a\n%b;",
        "int r = a\n%(b);",
        "x\n%= 3;",
        "int y = 5 % 3;",
        "%",
        "String s = \"\\\"\";\nString t = \"\"\"\n%x\n\"\"\";",
    })
    void notMagicsInJava(String cell) {
        ParsedCell c = MagicSyntax.parse(cell);
        assertFalse(c.hasMagics(), () -> "found a magic in: " + cell + " -> " + c);
    }

    @Test
    void magicAfterStringsAndCommentsClose() {
        String cell = "String s = \"%x\"; // %y\n/* %z\n */\nString t = \"\"\"\n  %w\n  \"\"\";\n%time\nchar c = '\"';\n%env";
        List<Segment> s = MagicSyntax.parse(cell).segments();
        assertEquals(List.of(Type.CODE, Type.LINE_MAGIC, Type.CODE, Type.LINE_MAGIC),
            s.stream().map(Segment::type).toList());
        assertEquals(7, s.get(1).line());
        assertEquals("time", s.get(1).name());
        assertEquals(9, s.get(3).line());
    }

    @Test
    void escapedQuoteInStringDoesNotEndIt() {
        List<Segment> s = MagicSyntax.parse("String s = \"a\\\" /*\";\n%time").segments();
        assertEquals(Type.LINE_MAGIC, s.get(1).type());
    }

    @Test
    void blockCommentEndingMidLine() {
        List<Segment> s = MagicSyntax.parse("int a; /* x\n y */ int b;\n%time").segments();
        assertEquals(Type.LINE_MAGIC, s.get(1).type());
        assertEquals(3, s.get(1).line());
    }

    @Test
    void cellMagicOnLaterLineIsAnError() {
        MagicException e = assertThrows(MagicException.class, () -> MagicSyntax.parse("int x;\n%%bash\nls"));
        assertTrue(e.getMessage().contains("%%bash"), e.getMessage());
        assertTrue(e.getMessage().contains("first line"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void malformedCellMagicIsAnError() {
        MagicException e = assertThrows(MagicException.class, () -> MagicSyntax.parse("%% bash\nls"));
        assertTrue(e.getMessage().contains("%%name"), e.getMessage());
    }

    @Test
    void crlfLineEndings() {
        List<Segment> s = MagicSyntax.parse("int x;\r\n%env A=1\r\nx\r\n").segments();
        assertEquals(3, s.size());
        assertEquals("A=1", s.get(1).args());
        assertEquals(2, s.get(1).line());
        ParsedCell c = MagicSyntax.parse("%%bash -x\r\necho");
        assertEquals("-x", c.cellMagic().args());
        assertEquals("echo", c.cellMagic().body());
    }

    @Test
    void unicodeIdentifierNames() {
        assertEquals("größe", MagicSyntax.parse("%größe 1").segments().get(0).name());
    }
}
