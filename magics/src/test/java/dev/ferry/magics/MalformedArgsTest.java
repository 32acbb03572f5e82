package dev.ferry.magics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed argument lines: each must be a MagicException naming the offending token, with a fix. */
class MalformedArgsTest {

    static Stream<Arguments> cases() {
        MagicSpec r = Specs.REMOTE;
        MagicSpec w = Specs.WRITEFILE;
        MagicSpec t = Specs.TIMEIT;
        MagicSpec y = Specs.TYPES;
        MagicSpec c = Specs.CAPTURE;
        return Stream.of(
            // unknown arguments, with suggestions
            Arguments.of(r, "gpus=H100", "'gpus'", "did you mean 'gpu'?"),
            Arguments.of(r, "memroy=1024", "'memroy'", "did you mean 'memory'?"),
            Arguments.of(r, "timout=60", "'timout'", "did you mean 'timeout'?"),
            Arguments.of(r, "enigne=docker", "'enigne'", "did you mean 'engine'?"),
            Arguments.of(r, "Gpu=H100", "'Gpu'", "did you mean 'gpu'?"),
            Arguments.of(r, "mem=4096", "'mem'", "did you mean 'memory'?"),
            Arguments.of(r, "image=ubuntu", "'image'", "Valid: gpu, cpu"),
            Arguments.of(r, "cpu=2 netwrok=none", "'netwrok'", "did you mean 'network'?"),
            Arguments.of(r, "--gpus=H100", "'--gpus'", "did you mean 'gpu'?"),
            Arguments.of(r, "-g H100", "'-g'", "did you mean 'gpu'?"),
            // values: missing, bad numbers, out of range
            Arguments.of(r, "memory=", "memory=", "e.g. memory=32768"),
            Arguments.of(r, "gpu=", "gpu=", "e.g. gpu=H100"),
            Arguments.of(r, "memory=abc", "memory=abc", "e.g. memory=32768"),
            Arguments.of(r, "memory=32g", "memory=32g", "e.g. memory=32768"),
            Arguments.of(r, "memory=1.5", "memory=1.5", "whole number"),
            Arguments.of(r, "cpu=two", "cpu=two", "e.g. cpu=2"),
            Arguments.of(r, "cpu=99999999999", "cpu=99999999999", "too large"),
            Arguments.of(r, "cpu=0", "cpu=0", "between 1 and 256"),
            Arguments.of(r, "cpu=-3", "cpu=-3", "between 1 and 256"),
            Arguments.of(r, "timeout=1m", "timeout=1m", "e.g. timeout=600"),
            Arguments.of(y, "d=1,5", "d=1,5", "expected a number"),
            Arguments.of(y, "d=NaN", "d=NaN", "expected a number"),
            Arguments.of(y, "d=1e999", "d=1e999", "too large"),
            Arguments.of(y, "l=12345678901234567890", "l=12345678901234567890", "too large"),
            Arguments.of(y, "b=maybe", "b=maybe", "expected true or false"),
            Arguments.of(y, "i=0x10", "i=0x10", "whole number"),
            // allowed values
            Arguments.of(r, "engine=kubernetes", "engine=kubernetes", "use one of: process, docker"),
            Arguments.of(r, "engine=dokcer", "engine=dokcer", "did you mean 'docker'?"),
            Arguments.of(r, "engine=Docker", "engine=Docker", "use one of"),
            Arguments.of(y, "mode=medium", "mode=medium", "use one of: fast, slow"),
            // lists and key-values
            Arguments.of(r, "in=a,,b", "in=a,,b", "empty item"),
            Arguments.of(r, "in=a,b,", "in=a,b,", "e.g. in=df,model"),
            Arguments.of(r, "env=FOO", "env=FOO", "KEY=VALUE"),
            Arguments.of(r, "env=A=1,B", "'B'", "e.g. env=KEY=VALUE"),
            Arguments.of(r, "env==1", "env==1", "no key"),
            Arguments.of(r, "env=A=1,A=2", "'A'", "give each key once"),
            // quoting
            Arguments.of(r, "gpu=\"H100", "column 5", "add the closing \""),
            Arguments.of(r, "gpu='H100", "column 5", "add the closing '"),
            Arguments.of(r, "session=\"a\\\" cpu=2", "column 9", "add the closing"),
            Arguments.of(w, "\"unclosed.txt", "column 1", "add the closing"),
            // duplicates
            Arguments.of(r, "cpu=2 cpu=4", "cpu=2, then cpu=4", "give it once"),
            Arguments.of(w, "-a -a x", "-a, then -a", "give it once"),
            Arguments.of(w, "-a --append x", "--append", "give it once"),
            Arguments.of(t, "-n 1 --number=2 x", "--number=2", "give it once"),
            // positionals
            Arguments.of(w, "a.txt b.txt", "'b.txt'", "quote a value that contains spaces"),
            Arguments.of(w, "my file.txt", "'file.txt'", "Usage: %%writefile [-a] path"),
            Arguments.of(r, "H100", "'H100'", "write name=value"),
            Arguments.of(r, "gpu", "'gpu'", "write e.g. gpu=H100"),
            Arguments.of(r, "cpu 4", "'cpu'", "cpu=2"),
            Arguments.of(c, "out err", "'err'", "Usage: %%capture [--no-stderr] [name]"),
            // required
            Arguments.of(w, "", "'path'", "e.g. %%writefile Hello.java"),
            Arguments.of(w, "-a", "'path'", "usage: %%writefile [-a] path"),
            // flags
            Arguments.of(w, "--append=yes x", "--append=yes", "write -a"),
            Arguments.of(w, "append=true x", "append=true", "takes no value"),
            Arguments.of(w, "-ax", "-ax", "takes no value"),
            Arguments.of(w, "-b x", "'-b'", "Valid: -a/--append, path"),
            Arguments.of(w, "--apend x", "'--apend'", "did you mean '--append'?"),
            Arguments.of(c, "--no-stder", "'--no-stder'", "did you mean '--no-stderr'?"),
            Arguments.of(y, "f=1", "f=1", "write -f"),
            // options needing values
            Arguments.of(t, "-n", "-n", "e.g. -n"),
            Arguments.of(t, "-n abc x", "-n abc", "e.g. -n 1"),
            Arguments.of(t, "--number", "--number", "needs a value"),
            Arguments.of(t, "-r 0 x", "-r 0", "between 1 and 1000"),
            Arguments.of(t, "--repeat=x y", "--repeat=x", "e.g. --repeat=7"),
            Arguments.of(t, "-x 1", "'-x'", "put -- before it"),
            Arguments.of(t, "--loops=3 x", "'--loops'", "Valid: number (-n), repeat (-r), -q/--quiet"),
            // a magic without arguments
            Arguments.of(MagicSpec.builder("pwd", MagicSpec.Kind.LINE).build(), "x", "'x'", "takes no arguments")
        );
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("cases")
    void isAClearError(MagicSpec spec, String line, String token, String hint) {
        try {
            ParsedArgs parsed = ArgParser.parse(spec, line);
            fail("expected an error for '" + line + "', parsed " + parsed);
        } catch (MagicException e) {
            String m = e.getMessage();
            if (Boolean.getBoolean("ferry.printErrors")) {
                System.out.println(line + "\n    -> " + m);
            }
            assertTrue(m.contains(token), () -> "message does not name '" + token + "': " + m);
            assertTrue(m.contains(hint), () -> "message lacks the hint '" + hint + "': " + m);
            assertTrue(m.contains(spec.displayName()), () -> "message does not name the magic: " + m);
            assertFalse(m.contains("Exception"), m);
        }
    }

    @org.junit.jupiter.api.Test
    void atLeastFiftyCases() {
        assertTrue(cases().count() >= 50);
    }
}
