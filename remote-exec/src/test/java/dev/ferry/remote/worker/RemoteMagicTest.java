package dev.ferry.remote.worker;

import dev.ferry.Image;
import dev.ferry.magics.ArgParser;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.MagicException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteMagicTest {
    private static String error(String args) {
        return assertThrows(MagicException.class, () -> ArgParser.parse(RemoteMagic.SPEC, args, true)).getMessage();
    }

    @Test
    void anImageExpressionGetsAValidExample() {
        String m = assertThrows(MagicException.class, () -> RemoteMagic.image("Image.debianSlim()", Map.of()))
                .getMessage();
        assertTrue(m.contains("image= takes the name of a variable holding an Image"), m);
        assertTrue(m.contains("`var img = Image.debianSlim();`, then write `%%remote image=img`"), m);
        assertFalse(m.contains("var Image.debianSlim()"), m);
        m = assertThrows(MagicException.class, () -> RemoteMagic.image("myImg", Map.of())).getMessage();
        assertTrue(m.contains("`var myImg = Image.debianSlim().aptInstall(\"git\");`"), m);
        Image img = Image.debianSlim();
        assertSame(img, RemoteMagic.image("img", Map.of("img", new JavaSession.Variable("img", "Image", img))));
    }

    @Test
    void tooLittleMemoryIsRefusedWithTheMinimum() {
        String m = error("memory=64");
        assertTrue(m.contains("memory=64: memory must be between " + RemoteMagic.MIN_MEMORY_MIB + " and"), m);
        assertTrue(m.contains("what a worker JVM needs to start"), m);
        assertEquals(RemoteMagic.MIN_MEMORY_MIB, ArgParser.parse(RemoteMagic.SPEC, "memory=" + RemoteMagic.MIN_MEMORY_MIB,
                true).getLong("memory"));
    }

    @Test
    void cellFormErrorsNameTheCellMagicListItsArgumentsAndReportEveryBadOne() {
        String m = error("cpu=two memory=lots");
        assertTrue(m.startsWith("%%remote: 2 bad arguments:"), m);
        assertTrue(m.contains("cpu=two: expected a number") && m.contains("e.g. cpu=2"), m);
        assertTrue(m.contains("memory=lots: expected a whole number") && m.contains("e.g. memory=2048"), m);
        assertFalse(m.contains("cpu=0.01"), m);
        m = error("cpus=2");
        assertTrue(m.startsWith("unknown argument 'cpus' for %%remote; did you mean 'cpu'? Valid: image, gpu, cpu,"), m);
        assertFalse(m.contains("command") || m.contains("name,"), m);
        m = error("ls");
        assertTrue(m.contains("'ls' is for the line form %remote only"), m);
        m = assertThrows(MagicException.class, () -> ArgParser.parse(RemoteMagic.SPEC, "ls cpu=2", false)).getMessage();
        assertTrue(m.startsWith("%remote: 'cpu=2' is for the cell form %%remote only"), m);
        assertEquals("stop", ArgParser.parse(RemoteMagic.SPEC, "stop s1", false).getString("command"));
    }
}
