package dev.ferry.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    static final CharTokenizer TOK = new CharTokenizer();
    static final int[] TEXT = TOK.encode(Fortunes.clean(Fortunes.BUILTIN));

    static Trainer trainer(CpuBackend be, GptConfig cfg) {
        Gpt model = new Gpt(cfg, 11);
        return new Trainer(be, model, new AdamW(model.parameters(), 3e-3f, 0.01f),
                new Batches(TEXT, 2, cfg.context(), 13));
    }

    @Test
    void roundTripIsBitExact(@TempDir Path dir) throws IOException {
        GptConfig cfg = GptConfig.tiny(TOK.vocabSize());
        try (CpuBackend be = new CpuBackend(2)) {
            Trainer a = trainer(be, cfg);
            for (int i = 0; i < 3; i++) a.trainStep();
            Path ck = dir.resolve("last.ckpt");
            Checkpoint.save(ck, a.model(), a.optimizer());
            Gpt fresh = new Gpt(cfg, 999);
            AdamW opt = new AdamW(fresh.parameters(), 3e-3f, 0.01f);
            assertEquals(3, Checkpoint.load(ck, fresh, opt));
            List<Tensor> want = a.model().parameters(), got = fresh.parameters();
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(bits(want.get(i).data()), bits(got.get(i).data()), "tensor " + i);
                assertArrayEquals(bits(a.optimizer().m[i]), bits(opt.m[i]), "first moment " + i);
                assertArrayEquals(bits(a.optimizer().v[i]), bits(opt.v[i]), "second moment " + i);
            }
            assertEquals(cfg, Checkpoint.config(ck));
            String side = Files.readString(Checkpoint.sidecar(ck));
            assertTrue(side.contains("\"config\": " + cfg.toJson()) && side.contains("\"step\": 3"), side);
        }
    }

    static int[] bits(float[] d) {
        int[] b = new int[d.length];
        for (int i = 0; i < d.length; i++) b[i] = Float.floatToRawIntBits(d[i]);
        return b;
    }

    @Test
    void anotherConfigIsRefusedWithBothShown(@TempDir Path dir) throws IOException {
        Gpt small = new Gpt(GptConfig.tiny(97), 1);
        Path ck = dir.resolve("c.ckpt");
        Checkpoint.save(ck, small, new AdamW(small.parameters(), 1e-3f, 0f));
        Gpt other = new Gpt(new GptConfig(97, 16, 48, 1, 2), 1);
        float before = other.parameters().get(0).data()[0];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(ck, other, new AdamW(other.parameters(), 1e-3f, 0f)));
        assertTrue(e.getMessage().contains(GptConfig.tiny(97).toJson()), e.getMessage());
        assertTrue(e.getMessage().contains(other.config().toJson()), e.getMessage());
        assertEquals(before, other.parameters().get(0).data()[0], 0f, "a refused load changed the model");
    }

    @Test
    void truncatedFileIsReportedAsDamaged(@TempDir Path dir) throws IOException {
        Gpt m = new Gpt(GptConfig.tiny(97), 1);
        Path ck = dir.resolve("c.ckpt");
        Checkpoint.save(ck, m, new AdamW(m.parameters(), 1e-3f, 0f));
        byte[] all = Files.readAllBytes(ck);
        Files.write(ck, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(ck, m, new AdamW(m.parameters(), 1e-3f, 0f)));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    /** Resuming at step k gives exactly the losses of an uninterrupted run (fixed seed, one thread). */
    @Test
    void resumeGivesIdenticalLosses(@TempDir Path dir) throws IOException {
        GptConfig cfg = GptConfig.tiny(TOK.vocabSize());
        try (CpuBackend be = new CpuBackend(1)) {
            Trainer whole = trainer(be, cfg);
            whole.train(8, null, 0, null);

            Path ck = dir.resolve("last.ckpt");
            Trainer first = trainer(be, cfg);
            first.train(5, ck, 0, null);
            Trainer second = trainer(be, cfg);
            assertEquals(5, second.resumeOrStart(ck));
            second.train(8, ck, 0, null);

            List<Float> resumed = new ArrayList<>(first.losses());
            resumed.addAll(second.losses());
            assertEquals(whole.losses(), resumed);
        }
    }

    /** An interrupt stops training at the next step boundary and saves a checkpoint there. */
    @Test
    void interruptStopsAtAStepAndSaves(@TempDir Path dir) throws IOException {
        GptConfig cfg = GptConfig.tiny(TOK.vocabSize());
        try (CpuBackend be = new CpuBackend(1)) {
            Trainer t = trainer(be, cfg);
            Path ck = dir.resolve("last.ckpt");
            int stopped = t.train(100, ck, 0, (step, loss, tps) -> {
                if (step == 3) Thread.currentThread().interrupt();
            });
            assertTrue(Thread.interrupted(), "the interrupt flag is left set for the caller");
            assertEquals(3, stopped);
            Gpt m = new Gpt(cfg, 0);
            assertEquals(3, Checkpoint.load(ck, m, new AdamW(m.parameters(), 1e-3f, 0f)));
        }
    }

    /** A save killed with SIGKILL part-way through never replaces the previous good checkpoint. */
    @Test
    void killDuringSaveKeepsThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        GptConfig cfg = GptConfig.tiny(TOK.vocabSize());
        Gpt good = new Gpt(cfg, 21);
        Path ck = dir.resolve("last.ckpt");
        Checkpoint.save(ck, good, new AdamW(good.parameters(), 1e-3f, 0f));
        byte[] before = Files.readAllBytes(ck);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowSave.class.getName(), ck.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partialSize(dir) < 4096) {
                assertTrue(p.isAlive(), "the saving child exited early: " + Files.readString(dir.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "the child never started writing its checkpoint");
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux: no finally blocks, no shutdown hooks in the child
            p.waitFor();
        }
        assertArrayEquals(before, Files.readAllBytes(ck), "the previous checkpoint was replaced by a partial one");
        Gpt loaded = new Gpt(cfg, 0);
        Checkpoint.load(ck, loaded, new AdamW(loaded.parameters(), 1e-3f, 0f));
        assertArrayEquals(bits(good.parameters().get(0).data()), bits(loaded.parameters().get(0).data()));
    }

    private static long partialSize(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            long n = 0;
            for (Path f : (Iterable<Path>) s::iterator) {
                if (f.getFileName().toString().contains(".partial-")) n += Files.size(f);
            }
            return n;
        }
    }

    /** Child process: saves another model through a stream that crawls, so the parent can kill it mid-save. */
    public static final class SlowSave {
        public static void main(String[] args) throws IOException {
            Gpt m = new Gpt(GptConfig.tiny(TOK.vocabSize()), 99);
            Checkpoint.save(Path.of(args[0]), m, new AdamW(m.parameters(), 1e-3f, 0f), out -> new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    out.flush();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            });
        }
    }
}
