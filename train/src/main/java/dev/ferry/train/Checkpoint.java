package dev.ferry.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Model weights, AdamW moments and the step count in one file: a magic, the {@link GptConfig} as JSON, then
 * each parameter (name, values, first and second moments) as raw float32 bits, then a CRC-32 of all of it.
 * Saves are atomic: the file is written beside the target, flushed to disk, then renamed over it, so a
 * process killed mid-save leaves the previous checkpoint in place. {@code NAME.json} beside it repeats the config
 * and step for people and tools (the header is what loading checks).
 */
public final class Checkpoint {

    private static final String MAGIC = "FERRYCK1";

    private Checkpoint() {}

    public static void save(Path path, Gpt model, AdamW opt) throws IOException {
        save(path, model, opt, UnaryOperator.identity());
    }

    static void save(Path path, Gpt model, AdamW opt, UnaryOperator<OutputStream> wrap) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(path.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                CRC32 crc = new CRC32();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                        new BufferedOutputStream(wrap.apply(file), 1 << 16), crc));
                out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
                writeString(out, model.config().toJson());
                out.writeInt(opt.step);
                List<Tensor> ps = model.parameters();
                out.writeInt(ps.size());
                int i = 0;
                for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                    writeString(out, e.getKey());
                    float[] d = e.getValue().data;
                    out.writeInt(d.length);
                    writeFloats(out, d);
                    writeFloats(out, opt.m[i]);
                    writeFloats(out, opt.v[i]);
                    i++;
                }
                out.flush();
                new DataOutputStream(wrap.apply(file)).writeLong(crc.getValue());
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        writeSidecar(path, model, opt);
    }

    /** {@code NAME.json} beside the checkpoint: its config and step, readable without loading the weights. */
    public static Path sidecar(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".json");
    }

    private static void writeSidecar(Path path, Gpt model, AdamW opt) throws IOException {
        Path side = sidecar(path), tmp = side.resolveSibling(side.getFileName() + ".partial-" + ProcessHandle.current().pid());
        String json = "{\"config\": " + model.config().toJson() + ", \"step\": " + opt.step + ", \"parameters\": "
                + model.parameterCount() + ", \"saved\": \"" + java.time.Instant.now() + "\"}\n";
        try {
            Files.writeString(tmp, json);
            Files.move(tmp, side, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The config a checkpoint was written with. */
    public static GptConfig config(Path path) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            readMagic(in, path);
            return GptConfig.fromJson(readString(in));
        }
    }

    /**
     * Loads {@code path} into {@code model} and {@code opt} (which must have been built for the same config)
     * and returns the step it was saved at. Nothing is changed when the file is refused.
     */
    public static int load(Path path, Gpt model, AdamW opt) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            readMagic(in, path);
            GptConfig saved = GptConfig.fromJson(readString(in));
            if (!saved.equals(model.config())) {
                throw new IllegalArgumentException("checkpoint " + path + " was written by another model config:\n"
                        + "  checkpoint: " + saved.toJson() + "\n  this model: " + model.config().toJson()
                        + "\nbuild the model with the checkpoint's config (Checkpoint.config(path)) or start fresh");
            }
            int step = in.readInt();
            int count = in.readInt();
            List<Tensor> ps = model.parameters();
            if (count != ps.size()) throw corrupt(path, count + " tensors, the model has " + ps.size());
            float[][] data = new float[count][], m = new float[count][], v = new float[count][];
            int i = 0;
            for (String name : model.namedParameters().keySet()) {
                String got = readString(in);
                int n = in.readInt();
                if (!got.equals(name) || n != ps.get(i).size()) {
                    throw corrupt(path, "tensor " + i + " is " + got + "[" + n + "], expected " + name);
                }
                data[i] = readFloats(in, n);
                m[i] = readFloats(in, n);
                v[i] = readFloats(in, n);
                i++;
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) throw corrupt(path, "checksum mismatch");
            for (i = 0; i < count; i++) {
                System.arraycopy(data[i], 0, ps.get(i).data, 0, data[i].length);
                System.arraycopy(m[i], 0, opt.m[i], 0, m[i].length);
                System.arraycopy(v[i], 0, opt.v[i], 0, v[i].length);
                ps.get(i).zeroGrad();
            }
            opt.step = step;
            return step;
        } catch (java.io.EOFException e) {
            throw corrupt(path, "truncated");
        }
    }

    private static IOException corrupt(Path path, String why) {
        return new IOException("checkpoint " + path + " is damaged (" + why + "); use an earlier one or start fresh");
    }

    private static void readMagic(DataInputStream in, Path path) throws IOException {
        byte[] b = new byte[MAGIC.length()];
        in.readFully(b);
        if (!MAGIC.equals(new String(b, StandardCharsets.US_ASCII))) {
            throw new IOException(path + " is not a Ferry checkpoint (no " + MAGIC + " header)");
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) throw new IOException("bad string length " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeFloats(DataOutputStream out, float[] d) throws IOException {
        byte[] buf = new byte[4 * Math.min(d.length, 8192)];
        for (int o = 0; o < d.length; o += 8192) {
            int n = Math.min(8192, d.length - o);
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(d[o + i]);
                buf[4 * i] = (byte) (bits >>> 24);
                buf[4 * i + 1] = (byte) (bits >>> 16);
                buf[4 * i + 2] = (byte) (bits >>> 8);
                buf[4 * i + 3] = (byte) bits;
            }
            out.write(buf, 0, 4 * n);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = Float.intBitsToFloat(in.readInt());
        return d;
    }
}
