package dev.ferry.magics;

import dev.ferry.magics.testkit.RecordingContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MagicRegistryTest {
    private final MagicRegistry registry = MagicRegistry.load(TestMagicProvider.testServicesOnly());

    @Test
    void serviceLoaderFindsTheTestProvider() {
        assertEquals(List.of("bash", "echo", "remote", "time", "timeit", "writefile"),
            registry.list().stream().map(MagicSpec::name).toList());
        assertEquals("remote", registry.lookup("remote").spec().name());
        assertEquals("remote", registry.lookup("%%remote").spec().name());
        assertSame(registry.lookup("bash"), registry.lookup("sh"));
    }

    @Test
    void explicitLoaderAndManualRegistration() {
        MagicRegistry r = MagicRegistry.load(TestMagicProvider.testServicesOnly());
        assertEquals(6, r.list().size());
        MagicRegistry empty = new MagicRegistry();
        assertTrue(empty.list().isEmpty());
        empty.register(new TestMagicProvider.Echo());
        assertEquals("echo", empty.lookup("echo").spec().name());
    }

    @Test
    void duplicateNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> registry.register(new TestMagicProvider.Echo()));
        assertTrue(e.getMessage().contains("'echo'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.register(new TestMagicProvider.SpecOnly(
            MagicSpec.builder("shell", MagicSpec.Kind.CELL).alias("sh").build())));
    }

    @Test
    void unknownMagicSuggests() {
        MagicException e = assertThrows(MagicException.class, () -> registry.lookup("tme"));
        assertEquals("unknown magic %tme; did you mean %time? Run %lsmagic for the list", e.getMessage());
        MagicException cell = assertThrows(MagicException.class,
            () -> registry.lookup(MagicSyntax.parse("%%tim\nx").cellMagic()));
        assertEquals("unknown magic %%tim; did you mean %%time? Run %lsmagic for the list", cell.getMessage());
        MagicException bash = assertThrows(MagicException.class,
            () -> registry.lookup(MagicSyntax.parse("%bahs").segments().get(0)));
        assertEquals("unknown magic %bahs; did you mean %%bash? Run %lsmagic for the list", bash.getMessage());
        MagicException none = assertThrows(MagicException.class, () -> registry.lookup("zzzzzz"));
        assertEquals("unknown magic %zzzzzz. Run %lsmagic for the list", none.getMessage());
    }

    @Test
    void lookupChecksHowAMagicIsUsed() {
        MagicException line = assertThrows(MagicException.class,
            () -> registry.lookup(MagicSyntax.parse("%bash").segments().get(0)));
        assertTrue(line.getMessage().contains("write %%bash on the first line"), line.getMessage());
        MagicException cell = assertThrows(MagicException.class,
            () -> registry.lookup(MagicSyntax.parse("%%echo hi").cellMagic()));
        assertTrue(cell.getMessage().contains("write %echo on a line of its own"), cell.getMessage());
        assertEquals("time", registry.lookup(MagicSyntax.parse("%%time\nx").cellMagic()).spec().name());
        assertEquals("time", registry.lookup(MagicSyntax.parse("%time x").segments().get(0)).spec().name());
    }

    @Test
    void executeThroughAContext() throws Exception {
        ParsedCell.Segment seg = MagicSyntax.parse("%echo -u hello world").segments().get(0);
        Magic magic = registry.lookup(seg);
        ParsedArgs args = ArgParser.parse(magic.spec(), seg.args());
        RecordingContext ctx = new RecordingContext(args, seg.body(), seg.isCell());
        assertEquals(11, magic.execute(ctx));
        assertEquals("HELLO WORLD", ctx.out.toString());
        assertEquals(List.of(Map.of("text/html", "<b>HELLO WORLD</b>")), ctx.displays);
        assertTrue(ctx.service(String.class).isEmpty());
    }

    @Test
    void completeMagicNames() {
        assertEquals(List.of("%%remote"), registry.complete("%%re"));
        assertEquals(List.of("%%bash", "%%remote", "%%sh", "%%time", "%%timeit", "%%writefile"),
            registry.complete("%%"));
        assertEquals(List.of("%time", "%timeit"), registry.complete("%ti"));
        assertEquals(List.of("%echo", "%time", "%timeit"), registry.complete("%"));
        assertEquals(List.of("sh"), registry.complete("s"));
        assertEquals(List.of(), registry.complete("%%ec"));
    }

    @Test
    void completeArgumentNamesAndValues() {
        MagicSpec remote = registry.lookup("remote").spec();
        assertEquals(List.of("gpu="), registry.completeArgs(remote, "gp"));
        assertEquals(List.of("gpu="), registry.completeArgs(remote, "cpu=2 g"));
        assertEquals(List.of("engine=docker"), registry.completeArgs(remote, "cpu=2 engine=d"));
        assertEquals(List.of("engine=process", "engine=docker"), registry.completeArgs(remote, "engine="));
        assertEquals(List.of("engine=", "env="), registry.completeArgs(remote, "gpu=H100 e"));
        List<String> all = registry.completeArgs(remote, "cpu=2 ");
        assertEquals(9, all.size(), all.toString());
        assertTrue(!all.contains("cpu="), all.toString());
        MagicSpec writefile = registry.lookup("writefile").spec();
        assertEquals(List.of("--append"), registry.completeArgs(writefile, "--a"));
        assertEquals(List.of("--append", "-a"), registry.completeArgs(writefile, "-"));
        assertEquals(List.of(), registry.completeArgs(writefile, "-a "));
        MagicSpec timeit = registry.lookup("timeit").spec();
        assertEquals(List.of("-n", "-r", "--quiet", "-q"), registry.completeArgs(timeit, "-"));
        assertEquals(List.of(), registry.completeArgs(remote, "nosuch=x"));
        assertEquals(List.of("b=true"), registry.completeArgs(Specs.TYPES, "b=t"));
    }
}
