package dev.ferry.magics.general;

import dev.ferry.magics.testkit.FakeSession;
import dev.ferry.magics.testkit.RecordingContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.KernelHistory;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicRegistry;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneralMagicsTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearEnv() {
        EnvMagic.clearOverlay();
    }

    private FakeSession session() {
        return new FakeSession(dir);
    }

    // ---- formatting -------------------------------------------------------------------------

    @Test
    void formatTimeLikeIPython() {
        assertEquals("1.2 ms", Common.formatTime(0.0012));
        assertEquals("2.5 µs", Common.formatTime(2.5e-6));
        assertEquals("123 ns", Common.formatTime(1.234e-7));
        assertEquals("3 s", Common.formatTime(3));
        assertEquals("1.23 s", Common.formatTime(1.2345));
        assertEquals("500 ms", Common.formatTime(0.5));
        assertEquals("0 ns", Common.formatTime(0));
        assertEquals("2min 5s", Common.formatTime(125));
        assertEquals("1h 1s", Common.formatTime(3601));
    }

    // ---- %time ------------------------------------------------------------------------------

    /** A clock that advances by fixed steps on each reading. */
    static final class StepClock implements CpuClock {
        long wall;
        long cpu;
        long sys;
        final long wallStep;
        final long cpuStep;
        final long sysStep;

        StepClock(long wallStep, long cpuStep, long sysStep) {
            this.wallStep = wallStep;
            this.cpuStep = cpuStep;
            this.sysStep = sysStep;
        }

        public long wallNanos() {
            long w = wall;
            wall += wallStep;
            return w;
        }

        public long cpuNanos() {
            long c = cpu;
            cpu += cpuStep;
            return c;
        }

        public long sysNanos() {
            long s = sys;
            sys += sysStep;
            return s;
        }
    }

    @Test
    void timePrintsCpuAndWallAndReturnsTheValue() {
        FakeSession s = session();
        s.answer = code -> 42;
        TimeMagic m = new TimeMagic(new StepClock(1_500_000, 2_100_000, 13_000));
        RecordingContext ctx = RecordingContext.cell(m, "", "int x = 6 * 7;\nx", s);
        assertEquals(42, m.execute(ctx));
        assertEquals(List.of("int x = 6 * 7;\nx"), s.ran);
        assertEquals("CPU times: user 2.09 ms, sys: 13 µs, total: 2.1 ms\nWall time: 1.5 ms\n", ctx.out.toString());

        RecordingContext line = RecordingContext.line(m, "Math.sqrt(2)", s);
        m.execute(line);
        assertEquals("Math.sqrt(2)", s.ran.get(1));
        assertTrue(line.out.toString().matches("CPU times: user .+, sys: .+, total: .+\nWall time: .+\n"), line.out.toString());
    }

    @Test
    void timeWithoutCodeIsAClearError() {
        TimeMagic m = new TimeMagic();
        MagicException e = assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "", session())));
        assertTrue(e.getMessage().contains("nothing to time"), e.getMessage());
        MagicException noSession = assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "1")));
        assertTrue(noSession.getMessage().contains("needs a Java session"), noSession.getMessage());
    }

    @Test
    void systemClockMeasuresCpu() {
        long c0 = CpuClock.SYSTEM.cpuNanos();
        double x = 0;
        for (int i = 0; i < 5_000_000; i++) {
            x += Math.sqrt(i);
        }
        assertTrue(x > 0);
        assertTrue(CpuClock.SYSTEM.cpuNanos() > c0);
        long sys = CpuClock.SYSTEM.sysNanos();
        // a JVM has spent system time starting (mmap, class loading), read in clock ticks of 10 ms
        assertTrue(sys > 0, "no system time read from /proc/self/stat");
        assertEquals(0, sys % 10_000_000L, "system time is not in clock ticks: " + sys);
        assertTrue(sys <= CpuClock.SYSTEM.cpuNanos() + 10_000_000L, "system time exceeds the process's CPU time");
    }

    // ---- %timeit ----------------------------------------------------------------------------

    @Test
    void timeitChoosesLoopsLikeIPython() {
        List<Long> tried = new ArrayList<>();
        // 1 µs per loop: 10^5 loops take 0.1 s, 10^6 take 1 s >= 0.2 s
        long n = TimeitMagic.chooseNumber(loops -> {
            tried.add(loops);
            return loops * 1_000;
        });
        assertEquals(1_000_000, n);
        assertEquals(List.of(1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L), tried);
        assertEquals(1, TimeitMagic.chooseNumber(loops -> loops * 300_000_000L)); // 0.3 s a loop
        assertEquals(1_000, TimeitMagic.chooseNumber(loops -> loops * 200_000L)); // exactly 0.2 s at 1000
        assertEquals(1_000_000_000L, TimeitMagic.chooseNumber(loops -> 0)); // never long enough: 10^9
    }

    @Test
    void timeitResultFormat() {
        TimeitResult r = new TimeitResult(10_000, 7, new double[] {1e-6, 1.2e-6, 0.8e-6, 1e-6, 1e-6, 1e-6, 1e-6});
        assertEquals("1 µs ± 107 ns per loop (mean ± std. dev. of 7 runs, 10,000 loops each)", r.toString());
        assertNull(r.warning());
        TimeitResult one = new TimeitResult(1, 1, new double[] {0.25});
        assertEquals("250 ms ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)", one.toString());
        TimeitResult cached = new TimeitResult(1, 2, new double[] {1e-3, 5e-3});
        assertTrue(cached.warning().startsWith("The slowest run took 5 times longer than the fastest."), cached.warning());
    }

    @Test
    void timeitCompilesOnceAndCallsTheLoop() {
        FakeSession s = session();
        List<Long> calls = new ArrayList<>();
        LongUnaryOperator loop = loops -> {
            calls.add(loops);
            return loops * 2_000; // 2 µs a loop
        };
        s.answer = code -> code.startsWith("$ferryTimeit") && !code.contains("=") ? loop : null;
        TimeitMagic m = new TimeitMagic();
        RecordingContext ctx = RecordingContext.line(m, "-n 100 -r 3 Math.sqrt(2.0)", s);
        assertNull(m.execute(ctx));
        assertEquals(List.of(100L, 100L, 100L), calls);
        assertEquals("2 µs ± 0 ns per loop (mean ± std. dev. of 3 runs, 100 loops each)\n", ctx.out.toString());
        assertTrue(s.ran.get(0).startsWith("java.util.function.LongUnaryOperator $ferryTimeit"), s.ran.get(0));
        assertTrue(s.ran.get(0).contains("$sink = (Math.sqrt(2.0));"), s.ran.get(0)); // an expression: value kept
        assertTrue(s.ran.get(2).endsWith(" = null;"), s.ran.toString());
        assertEquals(3, s.ran.size(), "compiled once: define, read, clear");

        RecordingContext auto = RecordingContext.line(m, "-q -o Math.sqrt(2.0)", s);
        calls.clear();
        Object r = m.execute(auto);
        assertEquals("", auto.out.toString());
        assertEquals(100_000L, ((TimeitResult) r).loops()); // 2 µs a loop: 10^5 loops reach 0.2 s
        assertEquals(7, ((TimeitResult) r).repeat());
    }

    @Test
    void timeitFallsBackToAStatement() {
        FakeSession s = session();
        LongUnaryOperator loop = loops -> loops;
        s.answer = code -> {
            if (code.contains("$sink = (System.out.println")) {
                throw FakeSession.compileError("'void' type not allowed here");
            }
            return code.startsWith("$ferryTimeit") && !code.contains("=") ? loop : null;
        };
        TimeitMagic m = new TimeitMagic();
        m.execute(RecordingContext.line(m, "-n 1 -r 1 System.out.println()", s));
        assertTrue(s.ran.get(1).contains("\nSystem.out.println();\n"), s.ran.toString());

        FakeSession bad = session();
        bad.answer = code -> {
            throw FakeSession.compileError("cannot find symbol");
        };
        assertThrows(CellFailedException.class, () -> m.execute(RecordingContext.line(m, "nope()", bad)));
    }

    @Test
    void timeitCellRunsSetupOnceThenTimesTheBody() {
        FakeSession s = session();
        s.answer = code -> code.startsWith("$ferryTimeit") && !code.contains("=") ? (LongUnaryOperator) n -> n * 1_000_000 : null;
        TimeitMagic m = new TimeitMagic();
        RecordingContext ctx = RecordingContext.cell(m, "-r 2 int[] a = new int[10];", "java.util.Arrays.sort(a);", s);
        m.execute(ctx);
        assertEquals("int[] a = new int[10];", s.ran.get(0));
        assertTrue(s.ran.get(1).contains("java.util.Arrays.sort(a);"));
        assertEquals("1 ms ± 0 ns per loop (mean ± std. dev. of 2 runs, 1,000 loops each)\n", ctx.out.toString());
    }

    // ---- %%writefile ------------------------------------------------------------------------

    @Test
    void writefileWritesOverwritesAndAppends() throws Exception {
        WritefileMagic m = new WritefileMagic();
        FakeSession s = session();
        RecordingContext w = RecordingContext.cell(m, "Hello.java", "class Hello {}", s);
        m.execute(w);
        assertEquals("Writing Hello.java\n", w.out.toString());
        assertEquals("class Hello {}\n", Files.readString(dir.resolve("Hello.java")));
        RecordingContext again = RecordingContext.cell(m, "Hello.java", "class Hi {}\n", s);
        m.execute(again);
        assertEquals("Overwriting Hello.java\n", again.out.toString());
        RecordingContext a = RecordingContext.cell(m, "-a Hello.java", "class More {}", s);
        m.execute(a);
        assertEquals("Appending to Hello.java\n", a.out.toString());
        assertEquals("class Hi {}\nclass More {}\n", Files.readString(dir.resolve("Hello.java")));
        m.execute(RecordingContext.cell(m, "sub/dir/x.txt", "x", s));
        assertEquals("x\n", Files.readString(dir.resolve("sub/dir/x.txt")));
        MagicException e = assertThrows(MagicException.class, () -> m.execute(RecordingContext.cell(m, "sub", "x", s)));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    // ---- %env -------------------------------------------------------------------------------

    @Test
    void envListsWithSecretsHiddenGetsAndSets() {
        EnvMagic m = new EnvMagic(Map.of("HOME", "/home/me", "AWS_SECRET_ACCESS_KEY", "abc", "GITHUB_TOKEN", "t",
            "DB_PASSWORD", "pw", "API_KEY", "k", "PATH", "/bin"));
        RecordingContext all = RecordingContext.line(m, "");
        assertNull(m.execute(all));
        assertEquals("API_KEY=<hidden>\nAWS_SECRET_ACCESS_KEY=<hidden>\nDB_PASSWORD=<hidden>\nGITHUB_TOKEN=<hidden>\n"
            + "HOME=/home/me\nPATH=/bin\n", all.out.toString());
        assertEquals("/home/me", m.execute(RecordingContext.line(m, "HOME")));
        MagicException e = assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "NOPE")));
        assertTrue(e.getMessage().contains("no variable NOPE"), e.getMessage());

        RecordingContext set = RecordingContext.line(m, "GREETING=hello world");
        m.execute(set);
        assertTrue(set.out.toString().startsWith("env: GREETING=hello world\n"), set.out.toString());
        assertEquals(Map.of("GREETING", "hello world"), EnvMagic.overlay());
        assertEquals("hello world", m.execute(RecordingContext.line(m, "GREETING")));
        m.execute(RecordingContext.line(m, "OTHER \"quoted value\""));
        assertEquals("quoted value", EnvMagic.overlay().get("OTHER"));
        assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "1BAD=x")));
    }

    // ---- %cd / %pwd -------------------------------------------------------------------------

    @Test
    void cdAndPwd() throws Exception {
        CdMagic cd = new CdMagic();
        PwdMagic pwd = new PwdMagic();
        FakeSession s = session();
        Files.createDirectories(dir.resolve("data"));
        RecordingContext c = RecordingContext.line(cd, "data", s);
        cd.execute(c);
        assertEquals(dir.resolve("data").toString() + "\n", c.out.toString());
        assertEquals(dir.resolve("data").toString(), pwd.execute(RecordingContext.line(pwd, "", s)));
        cd.execute(RecordingContext.line(cd, "..", s));
        assertEquals(dir, s.directory());
        cd.execute(RecordingContext.line(cd, "-", s));
        assertEquals(dir.resolve("data"), s.directory());
        cd.execute(RecordingContext.line(cd, "", s));
        assertEquals(Path.of(System.getProperty("user.home")).toAbsolutePath().normalize(), s.directory());
        MagicException e = assertThrows(MagicException.class, () -> cd.execute(RecordingContext.line(cd, "no/such", s)));
        assertEquals("%cd: no such directory: no/such", e.getMessage());
        MagicException first = assertThrows(MagicException.class,
            () -> new CdMagic().execute(RecordingContext.line(cd, "-", s)));
        assertTrue(first.getMessage().contains("no previous directory"), first.getMessage());
    }

    // ---- %%bash -----------------------------------------------------------------------------

    @Test
    void bashStreamsRunsInTheDirectoryAndReportsTheExitCode() throws Exception {
        ShellMagic bash = new ShellMagic("bash", "/bin/bash");
        FakeSession s = session();
        EnvMagic env = new EnvMagic(Map.of());
        env.execute(RecordingContext.line(env, "FERRY_TEST_VAR=from-env"));
        RecordingContext ok = RecordingContext.cell(bash, "", "echo one\necho two >&2\npwd\necho $FERRY_TEST_VAR", s);
        assertNull(bash.execute(ok));
        assertEquals("one\n" + dir.toRealPath() + "\nfrom-env\n", ok.out.toString());
        assertEquals("two\n", ok.err.toString());

        RecordingContext bad = RecordingContext.cell(bash, "", "echo before\nexit 3", s);
        MagicException e = assertThrows(MagicException.class, () -> bash.execute(bad));
        assertEquals("%%bash failed: the script exited with code 3", e.getMessage());
        assertEquals("before\n", bad.out.toString());
        assertNull(bash.execute(RecordingContext.cell(bash, "--no-raise-error", "exit 4", s)));
    }

    @Test
    void bashOutputArrivesWhileTheScriptRuns() throws Exception {
        ShellMagic sh = new ShellMagic("sh", "/bin/sh");
        FakeSession s = session();
        long[] firstAt = new long[1];
        long start = System.nanoTime();
        RecordingContext ctx = RecordingContext.cell(sh, "", "echo a; sleep 1; echo b", s);
        Thread watcher = new Thread(() -> {
            while (ctx.out.length() == 0) {
                Thread.onSpinWait();
            }
            firstAt[0] = System.nanoTime() - start;
        });
        watcher.start();
        sh.execute(ctx);
        long total = System.nanoTime() - start;
        watcher.join();
        assertEquals("a\nb\n", ctx.out.toString());
        assertTrue(firstAt[0] < total - 500_000_000L, "first line at " + firstAt[0] / 1e6 + " ms, end at " + total / 1e6);
    }

    @Test
    void bashIsInterruptible() throws Exception {
        ShellMagic bash = new ShellMagic("bash", "/bin/bash");
        FakeSession s = session();
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                bash.execute(RecordingContext.cell(bash, "", "sleep 30", s));
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        long start = System.nanoTime();
        t.start();
        Thread.sleep(300);
        t.interrupt();
        t.join(5000);
        assertFalse(t.isAlive());
        assertTrue((System.nanoTime() - start) < 5_000_000_000L);
        assertTrue(thrown[0] instanceof MagicException && thrown[0].getMessage().contains("interrupted"), String.valueOf(thrown[0]));
    }

    @Test
    void bashOutIntoAVariable() throws Exception {
        ShellMagic bash = new ShellMagic("bash", "/bin/bash");
        FakeSession s = session();
        s.answer = code -> {
            String id = code.replaceAll(".*\\(\"(c\\d+)\"\\);$", "$1");
            assertEquals("hi\n", Captured.peek(id));
            return null;
        };
        RecordingContext ctx = RecordingContext.cell(bash, "--out listing", "echo hi", s);
        bash.execute(ctx);
        assertEquals("", ctx.out.toString());
        assertTrue(s.ran.get(0).startsWith("String listing = dev.ferry.magics.general.Captured.takeText(\"c"), s.ran.get(0));
    }

    // ---- %%html / %%markdown / %%javascript -------------------------------------------------

    @Test
    void displayMagicsShowTheirMimeType() {
        for (var c : List.of(List.of(DisplayMagic.html(), "text/html"), List.of(DisplayMagic.markdown(), "text/markdown"),
                List.of(DisplayMagic.javascript(), "application/javascript"))) {
            DisplayMagic m = (DisplayMagic) c.get(0);
            RecordingContext ctx = RecordingContext.cell(m, "", "<b>x</b>");
            assertNull(m.execute(ctx));
            assertEquals("<b>x</b>", ctx.displays.get(0).get(c.get(1)));
            assertTrue(ctx.displays.get(0).containsKey("text/plain"));
        }
    }

    // ---- %who / %whos -----------------------------------------------------------------------

    @Test
    void whoAndWhos() {
        FakeSession s = session();
        s.vars.add(new JavaSession.Variable("x", "int", 42));
        s.vars.add(new JavaSession.Variable("$1", "int", 2));
        s.vars.add(new JavaSession.Variable("names", "List<String>", List.of("a", "b")));
        s.vars.add(new JavaSession.Variable("long_text", "String", "y".repeat(100)));
        s.vars.add(new JavaSession.Variable("arr", "int[]", new int[] {1, 2}));
        WhoMagic who = new WhoMagic(false);
        RecordingContext w = RecordingContext.line(who, "", s);
        who.execute(w);
        assertEquals("arr\tlong_text\tnames\tx\n", w.out.toString());
        RecordingContext typed = RecordingContext.line(who, "int String", s);
        who.execute(typed);
        assertEquals("long_text\tx\n", typed.out.toString());
        RecordingContext ints = RecordingContext.line(who, "List", s);
        who.execute(ints);
        assertEquals("names\n", ints.out.toString());

        WhoMagic whos = new WhoMagic(true);
        RecordingContext t = RecordingContext.line(whos, "", s);
        whos.execute(t);
        assertEquals(""
            + "Variable    Type           Data/Info\n"
            + "---------------------------------------\n"
            + "arr         int[]          [1, 2]\n"
            + "long_text   String         " + "y".repeat(28) + "<...>" + "y".repeat(27) + "\n"
            + "names       List<String>   [a, b]\n"
            + "x           int            42\n", t.out.toString());
        FakeSession empty = session();
        RecordingContext none = RecordingContext.line(who, "", empty);
        who.execute(none);
        assertEquals("Interactive namespace is empty.\n", none.out.toString());
        assertEquals(60, WhoMagic.shorten("z".repeat(61)).length());
        assertEquals("a\\nb", WhoMagic.shorten("a\nb"));
    }

    // ---- %load ------------------------------------------------------------------------------

    @Test
    void loadRunsTheFile() throws Exception {
        Files.writeString(dir.resolve("U.java"), "int u = 1;\nu + 1");
        FakeSession s = session();
        s.answer = code -> 2;
        LoadMagic m = new LoadMagic();
        assertEquals(2, m.execute(RecordingContext.line(m, "U.java", s)));
        assertEquals(List.of("int u = 1;\nu + 1"), s.ran);
        MagicException e = assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "Nope.java", s)));
        assertTrue(e.getMessage().startsWith("%load: no such file: Nope.java"), e.getMessage());
        assertTrue(new MagicRegistry().register(m).help("load").contains("RUNS the file"));
    }

    // ---- %%capture --------------------------------------------------------------------------

    @Test
    void captureSwapsSystemOutAndBindsTheResult() {
        FakeSession s = session();
        List<Object> bound = new ArrayList<>();
        s.answer = code -> {
            if (code.contains("Captured.take(")) {
                bound.add(Captured.peek(code.replaceAll(".*\\(\"(c\\d+)\"\\);$", "$1")));
            } else {
                System.out.println("quiet");
                System.err.println("oops");
            }
            return null;
        };
        PrintStream out = System.out;
        PrintStream err = System.err;
        CaptureMagic m = new CaptureMagic();
        m.execute(RecordingContext.cell(m, "out", "System.out.println(\"quiet\");", s));
        assertTrue(System.out == out && System.err == err, "streams restored");
        Captured c = (Captured) bound.get(0);
        assertEquals("quiet\n", c.stdout());
        assertEquals("oops\n", c.stderr());
        assertTrue(s.ran.get(1).startsWith("dev.ferry.magics.general.Captured out = dev.ferry.magics.general.Captured.take(\"c"),
            s.ran.get(1));

        FakeSession failing = session();
        failing.answer = code -> {
            if (!code.contains("Captured.take(")) {
                System.out.println("partial");
                throw FakeSession.compileError("boom");
            }
            return null;
        };
        assertThrows(CellFailedException.class, () -> m.execute(RecordingContext.cell(m, "x", "boom", failing)));
        assertTrue(System.out == out && System.err == err, "streams restored after a failure");
        assertEquals(2, failing.ran.size(), "bound even though the body failed");
        assertThrows(MagicException.class, () -> m.execute(RecordingContext.cell(m, "1x", "", s)));
    }

    // ---- %history ---------------------------------------------------------------------------

    /** Records the queries and answers from a fixed list. */
    static final class FakeHistory implements KernelHistory {
        final List<String> queries = new ArrayList<>();
        final List<Entry> entries = List.of(new Entry(3, 1, "int a = 1;"), new Entry(3, 2, "for (;;) {\n  break;\n}"),
            new Entry(3, 3, "%history"));

        public List<Entry> tail(int n) {
            queries.add("tail " + n);
            return entries.subList(Math.max(0, entries.size() - n), entries.size());
        }

        public List<Entry> range(long session, int start, int stop) {
            queries.add("range " + session + " " + start + " " + stop);
            return entries.stream().filter(e -> e.line() >= start && (stop == 0 || e.line() < stop)).toList();
        }

        public List<Entry> search(String pattern, int n) {
            queries.add("search " + pattern + " " + n);
            return List.of(entries.get(0));
        }
    }

    @Test
    void historyPrintsLikeIPython() {
        HistoryMagic m = new HistoryMagic();
        FakeHistory h = new FakeHistory();
        RecordingContext all = RecordingContext.line(m, "", h);
        m.execute(all);
        assertEquals("int a = 1;\nfor (;;) {\n  break;\n}\n%history\n", all.out.toString());
        RecordingContext n = RecordingContext.line(m, "-n 1-2", h);
        m.execute(n);
        assertEquals("   1: int a = 1;\n   2: for (;;) {\n        break;\n      }\n", n.out.toString());
        RecordingContext last = RecordingContext.line(m, "-l 2", h);
        m.execute(last);
        assertEquals("int a = 1;\nfor (;;) {\n  break;\n}\n", last.out.toString(), "-l 2: the 2 cells before %history");
        RecordingContext one = RecordingContext.line(m, "-l 1", h);
        m.execute(one);
        assertEquals("for (;;) {\n  break;\n}\n", one.out.toString());
        m.execute(RecordingContext.line(m, "-g println", h));
        m.execute(RecordingContext.line(m, "~1/4:6 3/7", h));
        assertEquals(List.of("range 0 1 0", "range 0 1 3", "tail 3", "tail 2", "search *println* 0", "range -1 4 6", "range 3 7 8"),
            h.queries);
        MagicException e = assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "x-y", h)));
        assertTrue(e.getMessage().contains("'x-y' is not a range"), e.getMessage());
        MagicException none = assertThrows(MagicException.class, () -> m.execute(RecordingContext.line(m, "")));
        assertTrue(none.getMessage().contains("needs the kernel's history"), none.getMessage());
    }

    // ---- %lsmagic / %help / registration ----------------------------------------------------

    @Test
    void registryListingAndHelp() {
        MagicRegistry r = new MagicRegistry();
        new GeneralMagics().magics().forEach(r::register);
        assertEquals("bash", r.lookup("%%bash").spec().name());
        assertEquals("javascript", r.lookup("js").spec().name());
        LsmagicMagic ls = new LsmagicMagic();
        RecordingContext l = RecordingContext.line(ls, "", r);
        ls.execute(l);
        assertTrue(l.out.toString().contains("%%writefile"), l.out.toString());
        assertTrue(l.out.toString().contains("%timeit"), l.out.toString());
        HelpMagic help = new HelpMagic();
        RecordingContext hc = RecordingContext.line(help, "%timeit", r);
        help.execute(hc);
        assertTrue(hc.out.toString().startsWith("%timeit: Time a statement"), hc.out.toString());
        assertThrows(MagicException.class, () -> help.execute(RecordingContext.line(help, "tmeit", r)));
        assertEquals(List.of("%%time", "%%timeit"), r.complete("%%ti"));
    }

    @Test
    void badArgumentsGetTheFrameworksErrors() {
        MagicException e = assertThrows(MagicException.class,
            () -> RecordingContext.cell(new WritefileMagic(), "--apend x", "", session()));
        assertTrue(e.getMessage().contains("did you mean '--append'"), e.getMessage());
        MagicException n = assertThrows(MagicException.class,
            () -> RecordingContext.line(new TimeitMagic(), "-n abc 1+1", session()));
        assertTrue(n.getMessage().contains("expected a whole number"), n.getMessage());
    }
}
