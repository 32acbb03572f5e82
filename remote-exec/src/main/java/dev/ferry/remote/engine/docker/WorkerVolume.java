package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's class path on a remote engine, sent once: a named volume {@code ferry-worker-<hash>} (the hash of
 * the files' names and contents) filled on first use through a created, never started helper container, then
 * mounted read-only at {@code /opt/ferry/worker} in every worker container. A second volume,
 * {@code ferry-worker-<hash>-ready}, is made only once the copy succeeded: a kernel that died mid-copy leaves no
 * half-filled volume that looks complete (the next one fills it again). Volumes of other Ferry builds stay until
 * removed ({@code docker volume ls -f label=dev.ferry=worker-classpath}).
 */
final class WorkerVolume {
    static final String LABEL_VALUE = "worker-classpath";

    private final DockerClient docker;
    private final String host;
    private final Map<String, String> digests = new ConcurrentHashMap<>(); // path|size|mtime -> sha-256

    WorkerVolume(DockerClient docker, String host) {
        this.docker = docker;
        this.host = host;
    }

    /**
     * The volume holding {@code files} (source → target path relative to the container's root, under
     * {@code opt/ferry/worker/}), filled now if it is not yet; {@code image} is any image the engine has (the
     * helper container is made from it, never started).
     */
    synchronized String ensure(Map<Path, String> files, String image) throws Exception {
        String name = "ferry-worker-" + key(files);
        boolean there = exists(name);
        if (there && exists(name + "-ready")) { // asked each time: a volume removed meanwhile is filled again
            return name;
        }
        Map<String, String> labels = Map.of(DockerEngine.LABEL, LABEL_VALUE);
        if (!there) {
            docker.createVolumeCmd().withName(name).withLabels(labels).exec();
        }
        String helper = docker.createContainerCmd(image).withName(name + "-fill-" + Long.toHexString(System.nanoTime()))
                .withCmd("true").withEntrypoint(java.util.List.of()).withLabels(labels)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                        .withBinds(new Bind(name, new Volume(DockerEngine.COPY_ROOT), AccessMode.rw)))
                .exec().getId();
        try (var tar = Tars.ofFiles(files)) {
            docker.copyArchiveToContainerCmd(helper).withTarInputStream(tar.open()).withRemotePath("/").exec();
        } finally {
            try {
                docker.removeContainerCmd(helper).withForce(true).exec();
            } catch (RuntimeException e) {
                System.err.println("[ferry] could not remove helper container " + helper + " on " + host + ": " + e.getMessage());
            }
        }
        docker.createVolumeCmd().withName(name + "-ready").withLabels(labels).exec();
        return name;
    }

    private boolean exists(String volume) {
        try {
            docker.inspectVolumeCmd(volume).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** 16 hex of the SHA-256 of every target name and its file's content, in target order. */
    String key(Map<Path, String> files) throws IOException {
        MessageDigest md = sha256();
        files.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
            md.update(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(digest(e.getKey()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        });
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    /** A file's SHA-256 (memoized by path, size and mtime), or a folder's: its files' relative paths and digests. */
    private String digest(Path file) {
        if (Files.isDirectory(file)) { // a build tree's classes folder: hashed each time, it changes as one works
            MessageDigest md = sha256();
            try (var walk = Files.walk(file)) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    md.update(file.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(digest(f).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return HexFormat.of().formatHex(md.digest());
        }
        try {
            String id = file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            return digests.computeIfAbsent(id, k -> {
                MessageDigest md = sha256();
                byte[] buf = new byte[1 << 16];
                try (InputStream in = Files.newInputStream(file)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return HexFormat.of().formatHex(md.digest());
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
