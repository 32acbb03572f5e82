package dev.ferry.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HelpTest {
    private final MagicRegistry registry = MagicRegistry.load(TestMagicProvider.testServicesOnly());

    @Test
    void remoteHelpIsGeneratedFromTheArgs() {
        String help = registry.help("%%remote");
        assertEquals("""
            %%remote: Run the cell in a container

            Usage: %%remote [gpu=STRING] [cpu=INT] [memory=INT] [timeout=INT] [engine=process|docker] \
            [session=STRING] [in=A,B,...] [out=STRING] [env=K=V,...] [network=STRING]   (the cell body follows)

            Arguments:
              gpu=STRING             GPU spec (STRING; e.g. gpu=H100)
              cpu=INT                CPU cores (INT; default 2; from 1 to 256)
              memory=INT             memory limit in MiB (INT; e.g. memory=32768)
              timeout=INT            seconds before the cell is stopped (INT; default 600)
              engine=process|docker  where to run (STRING; default process; one of process, docker)
              session=STRING         keep a named session alive (STRING)
              in=A,B,...             variables sent to the container (LIST; e.g. in=df,model)
              out=STRING             variable brought back (STRING)
              env=K=V,...            environment variables (KEY_VALUES; e.g. env=KEY=VALUE,KEY2=VALUE2)
              network=STRING         network mode (STRING; e.g. network=none)
            """, help);
    }

    @Test
    void flagsPositionalsRestAndBothKinds() {
        String writefile = registry.help("writefile");
        assertTrue(writefile.contains("Usage: %%writefile [-a] path"), writefile);
        assertTrue(writefile.contains("  -a, --append  append instead of overwriting\n"), writefile);
        assertTrue(writefile.contains("  path          file to write (STRING; required; e.g. Hello.java)\n"), writefile);
        String timeit = registry.help("timeit");
        assertTrue(timeit.contains("Usage: %timeit [-n INT] [-r INT] [-q] [statement...]\n"
            + "       %%timeit [-n INT] [-r INT] [-q] [statement...]   (the cell body follows)"), timeit);
        assertTrue(timeit.contains("-n INT, number=INT"), timeit);
        assertTrue(timeit.contains("statement...        Java statement to time"), timeit);
        String bash = registry.help("sh");
        assertTrue(bash.contains("Also known as: %%sh"), bash);
        assertThrows(MagicException.class, () -> registry.help("nope"));
    }

    @Test
    void details() {
        MagicSpec spec = MagicSpec.builder("x", MagicSpec.Kind.LINE).summary("s").details("Example:\n  %x\n").build();
        assertEquals("%x: s\n\nUsage: %x\n\nExample:\n  %x\n", new MagicRegistry()
            .register(new TestMagicProvider.SpecOnly(spec)).help("x"));
    }

    @Test
    void lsmagicListing() {
        assertEquals("""
            Line magics:
              %echo    Print the text
              %time    Wall and CPU time
              %timeit  Time a statement, repeatedly

            Cell magics:
              %%bash       Run the cell with bash
              %%remote     Run the cell in a container
              %%time       Wall and CPU time
              %%timeit     Time a statement, repeatedly
              %%writefile  Write the cell body to a file

            Run %name? (or %help name) for the arguments of one.
            """, registry.listing());
    }
}
