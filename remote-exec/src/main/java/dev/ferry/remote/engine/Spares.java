package dev.ferry.remote.engine;

import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Spare workers: warm worker JVMs that outlive the kernel that started them, waiting for the next kernel
 * with the same launch (docs/worker-protocol.md, "Spare workers"). A spare's descriptors are named pipes in
 * a directory of its own under {@link #dir()}; a kernel claims it by renaming that directory (the first
 * rename wins), opens the pipes and sends a {@code claim} frame.
 *
 * <p>Directory names: {@code KEY.NONCE.new} while the spare starts (not claimable), {@code KEY.NONCE} once the
 * worker opened its pipes and wrote {@code pid} (claimable), {@code claimed.NONCE.PID} while a kernel takes
 * it, {@code gone.NONCE} while a spare that reached its idle limit leaves.
 */
public final class Spares {
    /**
     * Environment variables that differ between launches of the same notebook and say nothing about the
     * session: they are left out of the key and out of a spare's environment.
     */
    public static final Set<String> PER_LAUNCH_ENV = Set.of("JPY_PARENT_PID", "JPY_INTERRUPT_EVENT",
            "IPY_INTERRUPT_EVENT", "FERRY_SPARE_IDLE");
    /** A starting spare older than this that never published itself is left over from a crash. */
    private static final Duration STARTING_STALE = Duration.ofSeconds(60);
    static final String IN = "in.fifo";
    static final String OUT = "out.fifo";
    static final String RAW = "raw.fifo";
    static final String PID = "pid";
    /** Written by a spare once it is warm (for tools and tests; a claimer takes a spare that is still warming too). */
    public static final String READY = "ready";

    private final Path dir;

    /** {@code dir}: the spares directory (created 0700 when first used). */
    public Spares(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The key of a launch: a spare serves a kernel only if it was started exactly as that kernel would start
     * its own worker (java, options, class path and the files on it, working directory, environment minus
     * {@link #PER_LAUNCH_ENV}, this host and boot). 16 hex digits of a SHA-256.
     */
    public static String key(WorkerLaunch launch, Map<String, String> env, Path workDir) {
        StringBuilder s = new StringBuilder("ferry-spare-1\n");
        s.append("host ").append(readOr("/proc/sys/kernel/hostname")).append('\n');
        s.append("boot ").append(readOr("/proc/sys/kernel/random/boot_id")).append('\n');
        s.append("uid ").append(System.getProperty("user.name")).append('\n');
        s.append("java ").append(launch.java()).append(' ').append(fileStamp(Path.of(launch.java()))).append('\n');
        for (String o : launch.jvmOptions()) {
            s.append("opt ").append(o).append('\n');
            for (String prefix : List.of("-XX:SharedArchiveFile=", "-XX:AOTCache=")) {
                if (o.startsWith(prefix)) {
                    s.append("file ").append(fileStamp(Path.of(o.substring(prefix.length())))).append('\n');
                }
            }
        }
        for (Path p : launch.classPath()) {
            s.append("cp ").append(p).append('\n');
        }
        for (Path p : launch.expandedClassPath()) {
            s.append("jar ").append(fileStamp(p)).append('\n');
        }
        s.append("cwd ").append(workDir.toAbsolutePath().normalize()).append('\n');
        Map<String, String> all = new TreeMap<>(env);
        all.putAll(launch.env());
        all.forEach((k, v) -> {
            if (!PER_LAUNCH_ENV.contains(k)) {
                s.append("env ").append(k).append('=').append(v).append('\0');
            }
        });
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment a spare runs with: {@code env} without {@link #PER_LAUNCH_ENV}. */
    public static Map<String, String> spareEnv(Map<String, String> env) {
        Map<String, String> m = new TreeMap<>(env);
        PER_LAUNCH_ENV.forEach(m::remove);
        return m;
    }

    private static String fileStamp(Path p) {
        try {
            Path real = p.toRealPath();
            return real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return p + " ?";
        }
    }

    private static String readOr(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * At most this many spares wait in one spares directory, whatever their keys: notebooks in many directories
     * must not leave a JVM each.
     */
    public static final int MAX_WAITING = 2;

    /** Whether a spare may be started for {@code key}: none with this key waits and fewer than {@link #MAX_WAITING} do. */
    public boolean wanted(String key) {
        if (has(key)) {
            return false;
        }
        int waiting = 0;
        for (Path p : entries()) {
            String n = p.getFileName().toString();
            if (n.length() <= 17 || n.charAt(16) != '.' || n.startsWith("claimed.")) {
                continue; // not a spare's directory, or one a kernel is taking
            }
            if (n.endsWith(".new") ? !olderThan(p, STARTING_STALE) : alive(p).isPresent()) {
                waiting++;
            } else {
                deleteTree(p);
            }
        }
        return waiting < MAX_WAITING;
    }

    /** Whether a spare with this key is starting or waiting (one per key is enough). */
    public boolean has(String key) {
        for (Path p : entries()) {
            String name = p.getFileName().toString();
            if (!name.startsWith(key + ".")) {
                continue;
            }
            if (name.endsWith(".new")) {
                if (!olderThan(p, STARTING_STALE)) {
                    return true;
                }
                deleteTree(p); // a launch that never came up
            } else if (alive(p).isPresent()) {
                return true;
            } else {
                deleteTree(p);
            }
        }
        return false;
    }

    /** A claimable spare of this key, or (within {@code wait}) one that is starting now and publishes itself. */
    public Optional<Claimed> claim(String key, long claimerPid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            boolean starting = false;
            for (Path p : entries()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(key + ".")) {
                    continue;
                }
                if (name.endsWith(".new")) {
                    starting |= !olderThan(p, STARTING_STALE);
                    continue;
                }
                Optional<Claimed> c = claimOne(p, claimerPid);
                if (c.isPresent()) {
                    return c;
                }
            }
            if (!starting || System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Takes the spare in {@code published} if this caller's rename wins and the spare is alive. */
    Optional<Claimed> claimOne(Path published, long claimerPid) {
        String nonce = published.getFileName().toString().substring(published.getFileName().toString().indexOf('.') + 1);
        Path mine = dir.resolve("claimed." + nonce + "." + claimerPid);
        try {
            Files.move(published, mine, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            return Optional.empty(); // another kernel was first, or the spare left
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            Optional<ProcessHandle> ph = alive(mine, nonce);
            if (ph.isEmpty()) {
                return Optional.empty();
            }
            InputStream frames = openRead(mine.resolve(OUT));
            OutputStream input = openWrite(mine.resolve(IN));
            InputStream raw = openRead(mine.resolve(RAW));
            new FrameCodec(null, input).write(Frame.of(Ops.CLAIM).with("pid", claimerPid));
            return Optional.of(new Claimed(ph.get(), frames, input, raw));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            deleteTree(mine); // the pipes live on in the open descriptors
        }
    }

    /** A claimed spare's process and its three streams (the claim frame is sent already). */
    public record Claimed(ProcessHandle process, InputStream frames, OutputStream input, InputStream raw) {}

    /**
     * Opens a FIFO for reading without blocking on its writer: holding a read-write descriptor while the
     * read-only one opens, then closing it, leaves this side a pure reader (it sees end of file when the
     * other side goes).
     */
    static InputStream openRead(Path fifo) throws IOException {
        try (RandomAccessFile hold = new RandomAccessFile(fifo.toFile(), "rw")) {
            return new FileInputStream(fifo.toFile());
        }
    }

    /** As {@link #openRead}, for the writing side (a write after the reader went fails). */
    static OutputStream openWrite(Path fifo) throws IOException {
        try (RandomAccessFile hold = new RandomAccessFile(fifo.toFile(), "rw")) {
            return new FileOutputStream(fifo.toFile());
        }
    }

    private Optional<ProcessHandle> alive(Path published) {
        String name = published.getFileName().toString();
        return alive(published, name.substring(name.indexOf('.') + 1));
    }

    /** The spare's process, if the pid it recorded is alive and is the worker started for {@code nonce}. */
    private static Optional<ProcessHandle> alive(Path spareDir, String nonce) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(spareDir.resolve(PID)).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info().arguments()
                .map(a -> String.join(" ", a).contains(nonce)).orElse(true));
    }

    /**
     * Starts a spare for {@code launch} in the background (it warms up on its own and waits): returns once
     * its process is started. {@code idle}: how long it waits for a claim before it leaves.
     */
    public void launch(WorkerLaunch launch, String key, Map<String, String> env, Duration idle) throws IOException {
        ensureDir();
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + Long.toHexString(ProcessHandle.current().pid());
        Path starting = dir.resolve(key + "." + nonce + ".new");
        Files.createDirectory(starting);
        Path published = dir.resolve(key + "." + nonce);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                "d=$0; mkfifo -m 600 \"$d/" + IN + "\" \"$d/" + OUT + "\" \"$d/" + RAW + "\" || exit 3;"
                        + " command -v setsid >/dev/null || { echo 'setsid not found' >&2; exit 4; };"
                        // the shell stays as the JVM's parent to report its exit status on the raw pipe
                        + " setsid sh -c '\"$@\"; printf \"\\000FERRY-EXIT %d\\n\" $?' ferry-spare \"$@\""
                        + " 1<>\"$d/" + RAW + "\" 2>&1 0</dev/null &",
                starting.toString(), launch.java()));
        cmd.addAll(launch.jvmOptions());
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, launch.classPath().stream().map(Path::toString).toList()),
                WorkerLaunch.MAIN, "--spare", starting.toString(), published.toString(), Long.toString(idle.toSeconds())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(spareEnv(env));
        pb.environment().putAll(launch.env());
        if (launch.workDir() != null) {
            pb.directory(launch.workDir().toFile());
        }
        Process p = pb.start();
        try {
            int code = p.waitFor();
            if (code != 0) {
                deleteTree(starting);
                throw new IOException("cannot start a spare worker (" + (code == 3 ? "mkfifo failed"
                        : code == 4 ? "the setsid command is missing" : "exit code " + code) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // another kernel made it
            }
        }
    }

    private List<Path> entries() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            // no spares directory yet
        }
        return out;
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            return Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - age.toMillis();
        } catch (IOException e) {
            return true;
        }
    }

    static void deleteTree(Path d) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // gone already
        }
        try {
            Files.deleteIfExists(d);
        } catch (IOException e) {
            // not empty or gone: best effort
        }
    }

    /**
     * The worker's side: opens the pipes of a starting spare directory so that no open blocks (each end is
     * held read-write until the claim) and publishes the spare. Called by the worker program.
     */
    public static Side open(Path starting, Path published) throws IOException {
        RandomAccessFile inHold = new RandomAccessFile(starting.resolve(IN).toFile(), "rw");
        InputStream in = new FileInputStream(starting.resolve(IN).toFile());
        RandomAccessFile outHold = new RandomAccessFile(starting.resolve(OUT).toFile(), "rw");
        OutputStream out = new FileOutputStream(starting.resolve(OUT).toFile());
        Files.writeString(starting.resolve(PID), Long.toString(ProcessHandle.current().pid()));
        try {
            Files.move(starting, published, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the spares directory does not support atomic renames: " + starting.getParent(), e);
        }
        return new Side(in, out, List.of(inHold, outHold), published);
    }

    /** The worker's ends of its pipes; {@link #claimed()} drops the held ends, {@link #retire()} leaves unclaimed. */
    public static final class Side {
        private final InputStream in;
        private final OutputStream out;
        private final List<RandomAccessFile> holds;
        private final Path published;

        Side(InputStream in, OutputStream out, List<RandomAccessFile> holds, Path published) {
            this.in = in;
            this.out = out;
            this.holds = holds;
            this.published = published;
        }

        public InputStream in() {
            return in;
        }

        public OutputStream out() {
            return out;
        }

        /**
         * A kernel claimed this spare: from now on the kernel is the only writer of the input pipe and the only
         * reader of the output pipe, so its end (exit, kill -9) ends the worker's input as for any worker.
         */
        public void claimed() {
            for (RandomAccessFile h : holds) {
                try {
                    h.close();
                } catch (IOException e) {
                    // closing our own descriptor: nothing to do
                }
            }
        }

        /** The spare said hello (its JShell is warm): a file {@code ready} in its directory says so to onlookers. */
        public void markReady() {
            try {
                Files.createFile(published.resolve(READY));
            } catch (IOException e) {
                // claimed meanwhile: its directory is gone
            }
        }

        /** Takes the spare off the shelf unless a kernel has claimed it already; true when the worker may leave. */
        public boolean retire() {
            String nonce = published.getFileName().toString().substring(published.getFileName().toString().indexOf('.') + 1);
            Path gone = published.resolveSibling("gone." + nonce);
            try {
                Files.move(published, gone, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                return false; // claimed: the kernel's claim frame is on its way
            }
            deleteTree(gone);
            return true;
        }
    }
}
