package dev.ferry.magics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random input never escapes as anything but a MagicException with a message. */
class RobustnessTest {
    private static final String[] PIECES = {
        " ", " ", "  ", "=", "==", ",", "\"", "'", "\\", "\\\"", "-", "--", "-a", "-n", "-x", "--append", "--number=",
        "gpu", "gpus", "cpu", "memory", "engine", "env", "in", "path", "a", "n", "1", "-1", "99999999999", "1.5",
        "docker", "K=V", "\t", "%", "%%", "\n", "?", "é", "\u0000", "true", "f", "list", "kv", "b", "d", "mode"};

    @Test
    void randomArgumentLines() {
        Random random = new Random(42);
        List<MagicSpec> specs = List.of(Specs.REMOTE, Specs.WRITEFILE, Specs.TIMEIT, Specs.ENV, Specs.TYPES,
            Specs.CAPTURE);
        for (int i = 0; i < 20_000; i++) {
            String line = randomText(random);
            MagicSpec spec = specs.get(random.nextInt(specs.size()));
            try {
                assertNotNull(ArgParser.parse(spec, line));
            } catch (MagicException e) {
                assertNotNull(e.getMessage());
                assertFalse(e.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail(spec.displayName() + " with [" + line + "] threw " + e, e);
            }
            try {
                new MagicRegistry().completeArgs(spec, line);
            } catch (RuntimeException e) {
                fail("completion of [" + line + "] threw " + e, e);
            }
        }
    }

    @Test
    void randomCells() {
        Random random = new Random(7);
        String[] pieces = {"%", "%%", "%time", "%%bash", "\"", "\"\"\"", "'", "//", "/*", "*/", "\\", "\n", "\n",
            " ", "x", "?", "\r\n", "int a;", "a % b"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String cell = sb.toString();
            try {
                assertNotNull(MagicSyntax.parse(cell));
            } catch (MagicException e) {
                assertFalse(e.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("cell [" + cell + "] threw " + e, e);
            }
        }
    }

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(10);
        for (int j = 0; j < n; j++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }
}
