package dev.ferry.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgParserTest {

    @Test
    void everyType() {
        ParsedArgs a = ArgParser.parse(Specs.TYPES,
            "s=hello i=-42 l=9000000000 d=2.5e3 b=yes -f list=a,b,c kv=A=1,B=x=y mode=slow");
        assertEquals("hello", a.getString("s"));
        assertEquals(-42, a.getInt("i"));
        assertEquals(9_000_000_000L, a.getLong("l"));
        assertEquals(2500.0, a.getDouble("d"));
        assertTrue(a.getBool("b"));
        assertTrue(a.getBool("f"));
        assertEquals(List.of("a", "b", "c"), a.getList("list"));
        assertEquals(Map.of("A", "1", "B", "x=y"), a.getMap("kv"));
        assertEquals(List.of("A", "B"), List.copyOf(a.getMap("kv").keySet()));
        assertEquals("slow", a.getString("mode"));
        assertEquals("", a.rest());
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "on,true", "1,true", "yes,true", "false,false", "No,false", "off,false",
        "0,false"})
    void booleans(String text, boolean expected) {
        assertEquals(expected, ArgParser.parse(Specs.TYPES, "b=" + text).getBool("b"));
    }

    @Test
    void wideningGetters() {
        ParsedArgs a = ArgParser.parse(Specs.TYPES, "i=7 l=8");
        assertEquals(7L, a.getLong("i"));
        assertEquals(7.0, a.getDouble("i"));
        assertEquals(8.0, a.getDouble("l"));
        assertEquals("7", a.getString("i"));
    }

    @Test
    void defaultsAndAbsence() {
        ParsedArgs a = ArgParser.parse(Specs.REMOTE, "");
        assertFalse(a.has("cpu"));
        assertEquals(2, a.getInt("cpu"));
        assertEquals("process", a.getString("engine"));
        assertNull(a.getString("gpu"));
        assertEquals(List.of(), a.getList("in"));
        assertEquals(Map.of(), a.getMap("env"));
        assertThrows(IllegalStateException.class, () -> a.getInt("memory"));
        assertThrows(IllegalArgumentException.class, () -> a.getInt("nope"));
        assertThrows(IllegalArgumentException.class, () -> a.getInt("gpu"));
        assertFalse(ArgParser.parse(Specs.WRITEFILE, "x").getBool("append"));
        assertEquals("", ArgParser.parse(Specs.REMOTE, null).rest());
    }

    @Test
    void remoteLine() {
        ParsedArgs a = ArgParser.parse(Specs.REMOTE,
            "gpu=A100-80GB:2 cpu=8 memory=32768 engine=docker in=df,model out=result env=A=1,B=two network=none");
        assertEquals("A100-80GB:2", a.getString("gpu"));
        assertEquals(8, a.getInt("cpu"));
        assertEquals(32768, a.getInt("memory"));
        assertEquals("docker", a.getString("engine"));
        assertEquals(List.of("df", "model"), a.getList("in"));
        assertEquals("result", a.getString("out"));
        assertEquals(Map.of("A", "1", "B", "two"), a.getMap("env"));
        assertTrue(a.has("network"));
        assertFalse(a.has("timeout"));
    }

    @Test
    void quotingAndEscapes() {
        ParsedArgs a = ArgParser.parse(Specs.TYPES, "s=\"a b \\\"c\\\" \\\\ d\"");
        assertEquals("a b \"c\" \\ d", a.getString("s"));
        assertEquals("it's", ArgParser.parse(Specs.TYPES, "s='it\\'s'").getString("s"));
        assertEquals("say \"hi\"", ArgParser.parse(Specs.TYPES, "s='say \"hi\"'").getString("s"));
        assertEquals("line\nnext\ttab", ArgParser.parse(Specs.TYPES, "s=\"line\\nnext\\ttab\"").getString("s"));
        assertEquals("C:\\dir\\x", ArgParser.parse(Specs.TYPES, "s=C:\\dir\\x").getString("s"));
        assertEquals("C:\\dir", ArgParser.parse(Specs.TYPES, "s=\"C:\\dir\"").getString("s"));
        assertEquals("a b", ArgParser.parse(Specs.TYPES, "s=a\\ b").getString("s"));
        assertEquals("abcd", ArgParser.parse(Specs.TYPES, "s=ab\"cd\"").getString("s"));
        assertEquals("", ArgParser.parse(Specs.TYPES, "s=\"\"").getString("s"));
        assertEquals("x=y", ArgParser.parse(Specs.TYPES, "s=x=y").getString("s"));
        assertEquals("  padded ", ArgParser.parse(Specs.TYPES, "s='  padded '").getString("s"));
    }

    @Test
    void listsAndMapsWithQuotesAndEscapedCommas() {
        ParsedArgs a = ArgParser.parse(Specs.TYPES, "list=\"a, b , c\" kv=\"JAVA_OPTS=-Xmx1g -Xss4m,K=a\\,b\"");
        assertEquals(List.of("a", "b", "c"), a.getList("list"));
        assertEquals(Map.of("JAVA_OPTS", "-Xmx1g -Xss4m", "K", "a,b"), a.getMap("kv"));
        assertEquals(List.of(), ArgParser.parse(Specs.TYPES, "list=\"\"").getList("list"));
        assertEquals(Map.of("K", ""), ArgParser.parse(Specs.TYPES, "kv=K=").getMap("kv"));
    }

    @Test
    void positionalAndFlags() {
        ParsedArgs a = ArgParser.parse(Specs.WRITEFILE, "-a src/Hello.java");
        assertTrue(a.getBool("append"));
        assertEquals("src/Hello.java", a.getString("path"));
        assertEquals("my file.txt", ArgParser.parse(Specs.WRITEFILE, "\"my file.txt\" --append").getString("path"));
        assertEquals("-a", ArgParser.parse(Specs.WRITEFILE, "-- -a").getString("path"));
        assertEquals("-a", ArgParser.parse(Specs.WRITEFILE, "'-a'").getString("path"));
        assertEquals("a=b.txt", ArgParser.parse(Specs.WRITEFILE, "\"a=b.txt\"").getString("path"));
        assertEquals("out/x=1.txt", ArgParser.parse(Specs.WRITEFILE, "out/x=1.txt").getString("path"));
        assertEquals("p.txt", ArgParser.parse(Specs.WRITEFILE, "path=p.txt").getString("path"));
        assertEquals("-5", ArgParser.parse(Specs.WRITEFILE, "-5").getString("path"));
    }

    @Test
    void optionalPositional() {
        assertFalse(ArgParser.parse(Specs.CAPTURE, "").has("name"));
        ParsedArgs a = ArgParser.parse(Specs.CAPTURE, "--no-stderr out");
        assertEquals("out", a.getString("name"));
        assertTrue(a.getBool("no-stderr"));
    }

    @Test
    void optionsWithValues() {
        ParsedArgs a = ArgParser.parse(Specs.TIMEIT, "-n 100 -r3 Math.sqrt(2)");
        assertEquals(100, a.getInt("number"));
        assertEquals(3, a.getInt("repeat"));
        assertEquals("Math.sqrt(2)", a.rest());
        ParsedArgs b = ArgParser.parse(Specs.TIMEIT, "--number=5 --repeat 2 -q x");
        assertEquals(5, b.getInt("number"));
        assertEquals(2, b.getInt("repeat"));
        assertTrue(b.getBool("quiet"));
        assertEquals(10, ArgParser.parse(Specs.TIMEIT, "-n=10 x").getInt("number"));
        assertEquals(10, ArgParser.parse(Specs.TIMEIT, "number=10 x").getInt("number"));
    }

    @Test
    void restIsVerbatim() {
        ParsedArgs a = ArgParser.parse(Specs.TIMEIT, "-n 1 \"a b\".split(\" \").length  ");
        assertEquals("\"a b\".split(\" \").length", a.rest());
        assertEquals("-x + 1", ArgParser.parse(Specs.TIMEIT, "-- -x + 1").rest());
        assertEquals("x == 'a' && s.equals(\"it's\")",
            ArgParser.parse(Specs.TIMEIT, "x == 'a' && s.equals(\"it's\")").rest());
        assertEquals("-5 + x", ArgParser.parse(Specs.TIMEIT, "-5 + x").rest());
        assertEquals("n==1", ArgParser.parse(Specs.TIMEIT, "n==1").rest());
        assertEquals("", ArgParser.parse(Specs.TIMEIT, "-q").rest());
        assertFalse(ArgParser.parse(Specs.TIMEIT, "x -n 5").has("number"));
        assertEquals("x -n 5", ArgParser.parse(Specs.TIMEIT, "x -n 5").rest());
    }

    @Test
    void envRest() {
        assertEquals("JAVA_HOME=/opt/jdk 17", ArgParser.parse(Specs.ENV, "JAVA_HOME=/opt/jdk 17").rest());
        assertEquals("X=\"unterminated", ArgParser.parse(Specs.ENV, "X=\"unterminated").rest());
        assertEquals("", ArgParser.parse(Specs.ENV, "   ").rest());
    }

    @Test
    void bundledShortFlags() {
        MagicSpec spec = MagicSpec.builder("b", MagicSpec.Kind.LINE)
            .arg(ArgSpec.flag("all").shortName('a'))
            .arg(ArgSpec.flag("long").shortName('l'))
            .build();
        ParsedArgs a = ArgParser.parse(spec, "-la");
        assertTrue(a.getBool("all"));
        assertTrue(a.getBool("long"));
    }

    @Test
    void unknownArgumentMessageMatchesTheDesign() {
        MagicException e = assertThrows(MagicException.class, () -> ArgParser.parse(Specs.REMOTE, "gpus=H100"));
        assertEquals("unknown argument 'gpus' for %%remote; did you mean 'gpu'? Valid: gpu, cpu, memory, timeout, "
            + "engine, session, in, out, env, network", e.getMessage());
    }

    @Test
    void badNumberMessageUsesHelpAndExample() {
        MagicException e = assertThrows(MagicException.class, () -> ArgParser.parse(Specs.REMOTE, "memory=abc"));
        assertEquals("%%remote: memory=abc: expected a whole number for memory (memory limit in MiB), "
            + "e.g. memory=32768", e.getMessage());
    }

    @Test
    void unterminatedQuoteShowsColumn() {
        MagicException e = assertThrows(MagicException.class,
            () -> ArgParser.parse(Specs.REMOTE, "cpu=2 gpu=\"H100"));
        assertTrue(e.getMessage().contains("column 11"), e.getMessage());
        assertTrue(e.getMessage().contains("add the closing \""), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n  cpu=2 gpu=\"H100\n            ^"), e.getMessage());
    }

    @Test
    void specValidation() {
        assertThrows(IllegalArgumentException.class, () -> ArgSpec.keyword("bad name", ArgSpec.Type.STRING));
        assertThrows(IllegalArgumentException.class, () -> ArgSpec.positional("f", ArgSpec.Type.FLAG));
        assertThrows(IllegalArgumentException.class,
            () -> ArgSpec.keyword("n", ArgSpec.Type.INT).defaultValue("many"));
        assertThrows(IllegalArgumentException.class, () -> ArgSpec.keyword("n", ArgSpec.Type.INT).allowed("1"));
        assertThrows(IllegalArgumentException.class, () -> MagicSpec.builder("x", MagicSpec.Kind.LINE)
            .arg(ArgSpec.keyword("a", ArgSpec.Type.INT)).arg(ArgSpec.keyword("a", ArgSpec.Type.STRING)).build());
        assertThrows(IllegalArgumentException.class, () -> MagicSpec.builder("x", MagicSpec.Kind.LINE)
            .arg(ArgSpec.flag("a").shortName('v')).arg(ArgSpec.flag("b").shortName('v')).build());
        assertThrows(IllegalArgumentException.class, () -> MagicSpec.builder("x", MagicSpec.Kind.LINE)
            .arg(ArgSpec.positional("a", ArgSpec.Type.STRING))
            .arg(ArgSpec.positional("b", ArgSpec.Type.STRING).required()).build());
        assertThrows(IllegalArgumentException.class, () -> MagicSpec.builder("%x", MagicSpec.Kind.LINE));
        assertEquals(List.of("a", "b"), ArgSpec.keyword("l", ArgSpec.Type.LIST).defaultValue("a,b").defaultValue());
    }

    /** A BOTH magic like %remote: line-only command words, cell-only resource arguments, one for both. */
    private static final MagicSpec BOTH = MagicSpec.builder("remote", MagicSpec.Kind.BOTH)
        .arg(ArgSpec.positional("command", ArgSpec.Type.STRING).allowed("ls", "stop").lineOnly().help("ls, stop NAME"))
        .arg(ArgSpec.positional("name", ArgSpec.Type.STRING).lineOnly())
        .arg(ArgSpec.keyword("cpu", ArgSpec.Type.DOUBLE).range(0.01, 1024).cellOnly().help("CPU cores"))
        .arg(ArgSpec.keyword("memory", ArgSpec.Type.LONG).range(160, 1 << 20).cellOnly().help("MiB"))
        .arg(ArgSpec.keyword("engine", ArgSpec.Type.STRING).allowed("docker", "process"))
        .build();

    @Test
    void theCellFormIsNamedAsWrittenAndListsOnlyItsOwnArguments() {
        MagicException e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "cpus=2", true));
        assertEquals("unknown argument 'cpus' for %%remote; did you mean 'cpu'? Valid: cpu, memory, engine",
            e.getMessage());
        e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "cpu=2", false));
        assertTrue(e.getMessage().startsWith("%remote: 'cpu=2' is for the cell form %%remote only"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Valid for %remote: command, name, engine"), e.getMessage());
        assertEquals("ls", ArgParser.parse(BOTH, "ls", false).getString("command"));
        assertEquals(2.0, ArgParser.parse(BOTH, "cpu=2 engine=docker", true).getDouble("cpu"));
    }

    @Test
    void aLineOnlyWordInTheCellFormSaysWhereItBelongs() {
        MagicException e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "ls", true));
        assertEquals("%%remote: 'ls' is for the line form %remote only (ls, stop NAME): write %remote ls on a line of"
            + " its own. Valid for %%remote: cpu, memory, engine", e.getMessage());
        e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "lots", true)); // not a command word
        assertTrue(e.getMessage().startsWith("unexpected argument 'lots' for %%remote: it takes no positional"),
            e.getMessage());
    }

    @Test
    void theExampleOfARangeIsATypicalValueNotItsMinimum() {
        MagicException e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "cpu=two", true));
        assertTrue(e.getMessage().endsWith("e.g. cpu=1"), e.getMessage());
        e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "memory=64", true));
        assertTrue(e.getMessage().contains("memory must be between 160 and 1048576"), e.getMessage());
        assertTrue(e.getMessage().endsWith("e.g. memory=1000"), e.getMessage());
    }

    @Test
    void everyBadArgumentIsReported() {
        MagicException e = assertThrows(MagicException.class,
            () -> ArgParser.parse(BOTH, "cpu=two memory=lots engine=docker", true));
        String m = e.getMessage();
        assertTrue(m.startsWith("%%remote: 2 bad arguments:\n  cpu=two: expected a number"), m);
        assertTrue(m.contains("\n  memory=lots: expected a whole number for memory"), m);
        e = assertThrows(MagicException.class, () -> ArgParser.parse(BOTH, "cpu=1 gpu=H100 cpu=2", true));
        assertTrue(e.getMessage().contains("unknown argument 'gpu'") && e.getMessage().contains("cpu given twice"),
            e.getMessage());
    }
}
