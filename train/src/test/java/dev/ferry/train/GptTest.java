package dev.ferry.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GptTest {

    static final CharTokenizer TOK = new CharTokenizer();

    @Test
    void lossAtInitIsLnVocab() {
        GptConfig cfg = GptConfig.tiny(TOK.vocabSize());
        Gpt model = new Gpt(cfg, 1);
        try (CpuBackend be = new CpuBackend(2)) {
            Batches data = new Batches(TOK.encode(Fortunes.clean(Fortunes.BUILTIN)), 4, cfg.context(), 3);
            Batches.Batch b = data.at(0);
            float loss = model.loss(new Ops(be), b.inputs(), b.targets(), b.batch(), b.time()).item();
            assertEquals(Math.log(TOK.vocabSize()), loss, 0.1, "initial loss");
        }
    }

    @Test
    void smallestModelOverfitsOneBatch() {
        GptConfig cfg = GptConfig.tiny(TOK.vocabSize());
        Gpt model = new Gpt(cfg, 2);
        try (CpuBackend be = new CpuBackend(2)) {
            Ops ops = new Ops(be);
            Batches.Batch b = new Batches(TOK.encode(Fortunes.clean(Fortunes.BUILTIN)), 2, cfg.context(), 5).at(0);
            AdamW opt = new AdamW(model.parameters(), 1e-2f, 0f);
            float first = 0, last = 0;
            for (int s = 0; s < 150; s++) {
                Tensor loss = model.loss(ops, b.inputs(), b.targets(), b.batch(), b.time());
                loss.backward();
                opt.step(be);
                if (s == 0) first = loss.item();
                last = loss.item();
            }
            assertTrue(last < 0.1f, "one batch should be memorised: loss " + first + " -> " + last);
        }
    }

    @Test
    void parameterCountMatchesConfig() {
        for (GptConfig cfg : new GptConfig[]{GptConfig.tiny(97), GptConfig.xs(97), GptConfig.s(97)}) {
            if (cfg.parameters() > 2_000_000) continue; // S is checked by formula only (allocation is slow on CI)
            assertEquals(cfg.parameters(), new Gpt(cfg, 0).parameterCount(), cfg.toJson());
        }
        assertTrue(GptConfig.s(97).parameters() > 4_000_000, "S is the few-million size");
    }

    @Test
    void tokenizerRoundTripsAndDropsTheRest() {
        String s = "Hi\tthere,\nworld~ é";
        assertEquals("Hi\tthere,\nworld~ ", TOK.decode(TOK.encode(s)));
    }

    @Test
    void sampleIsDeterministicForASeed() {
        Gpt model = new Gpt(GptConfig.tiny(97), 4);
        try (CpuBackend be = new CpuBackend(1)) {
            int[] prompt = TOK.encode("The ");
            int[] a = model.sample(new Ops(be), prompt, 20, 1f, new Random(3));
            int[] b = model.sample(new Ops(be), prompt, 20, 1f, new Random(3));
            assertEquals(TOK.decode(a), TOK.decode(b));
            assertEquals(20, a.length);
        }
    }

    @Test
    void fortunesFallBackToBuiltinWithOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Fortunes.Corpus none = Fortunes.load(dir.resolve("absent"));
        assertEquals("builtin", none.source());
        assertTrue(none.note().contains("fortunes-min"), none.note());
        java.nio.file.Files.writeString(dir.resolve("computers"), "A\n%\nB b\n%\n");
        java.nio.file.Files.writeString(dir.resolve("computers.dat"), "binary index");
        Fortunes.Corpus one = Fortunes.load(dir);
        assertEquals(java.util.Set.of("computers"), one.categories().keySet());
        assertEquals("A\n\nB b\n\n", one.text("computers"));
    }

    @Test
    void bestFallsBackToTheCpuWithOneLine() {
        try (Backend be = Backends.best()) {
            if (be instanceof CpuBackend) {
                assertTrue(Backends.reason().contains("using the cpu"), Backends.reason());
                assertEquals(1, Backends.reason().lines().count(), Backends.reason());
            }
        }
    }

    @Test
    void lossChartDrawsEverySeries() {
        LossChart c = new LossChart("loss <demo>");
        c.add("train", 0, 4.5f).add("train", 10, 3.0f).add("val", 10, 3.2f);
        String svg = c.svg();
        assertEquals(2, svg.split("<polyline").length - 1, svg);
        assertTrue(svg.contains("loss &lt;demo&gt;") && svg.contains("val 3.200"), svg);
    }
}
