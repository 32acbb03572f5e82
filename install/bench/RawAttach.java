import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The raw floor of the {@code %%remote out=} transfer (install/bench.sh remote): bytes that a process in a
 * container writes to its stdout, received in a JVM through a Docker attach stream with docker-java and
 * the Apache HTTP client 5 transport, set up exactly as the kernel's DockerEngine and DockerPlacement
 * set up a worker's container (attach before start, no log driver, network none, payloads copied out of
 * docker-java's reused buffer). No framing, no Arrow, no relay to a second process.
 *
 * <p>Each repetition: create a container running {@code read go; dd if=/dev/zero bs=1M count=MIB}, attach,
 * start, wait 0.5 s, then time from writing {@code go} on its stdin to the last of the bytes arriving in
 * one preallocated byte[] (a reader that keeps its bytes, as the kernel does). Prints
 * {@code raw_ms <ms> bytes <n>} per repetition.
 *
 * <pre>java -cp 'KERNELSPEC/lib/*' install/bench/RawAttach.java IMAGE MIB [REPS]</pre>
 * DOCKER_HOST is honoured like the kernel does (default: the local socket).
 */
public class RawAttach {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RawAttach IMAGE MIB [REPS]");
            System.exit(2);
        }
        String image = args[0];
        int mib = Integer.parseInt(args[1]);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .maxConnections(64).connectionTimeout(Duration.ofSeconds(3)).build();
        DockerClient docker = DockerClientImpl.getInstance(config, http);
        long bytes = (long) mib << 20;
        byte[] sink = new byte[Math.toIntExact(bytes)];
        for (int r = 0; r < reps; r++) {
            String id = docker.createContainerCmd(image)
                    .withCmd(List.of("sh", "-c", "read go; exec dd if=/dev/zero bs=1M count=" + mib + " status=none"))
                    .withEntrypoint(List.of())
                    .withTty(false).withStdinOpen(true).withStdInOnce(true)
                    .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                            .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE)))
                    .withLabels(java.util.Map.of("dev.ferry.bench", "raw-attach"))
                    .exec().getId();
            QueueInput stdin = new QueueInput();
            CountDownLatch done = new CountDownLatch(1);
            long[] received = {0};
            long[] end = {0};
            StringBuilder err = new StringBuilder();
            var attach = docker.attachContainerCmd(id).withStdIn(stdin).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).withLogs(false)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame f) {
                            byte[] p = f.getPayload();
                            if (p == null) {
                                return;
                            }
                            if (f.getStreamType() == StreamType.STDOUT) {
                                int n = (int) Math.min(p.length, bytes - received[0]);
                                System.arraycopy(p, 0, sink, (int) received[0], n);
                                received[0] += p.length;
                                if (received[0] >= bytes && end[0] == 0) {
                                    end[0] = System.nanoTime();
                                    done.countDown();
                                }
                            } else {
                                err.append(new String(p, java.nio.charset.StandardCharsets.UTF_8));
                            }
                        }

                        @Override
                        public void onComplete() {
                            done.countDown();
                        }

                        @Override
                        public void onError(Throwable t) {
                            err.append(t);
                            done.countDown();
                        }
                    });
            attach.awaitStarted();
            docker.startContainerCmd(id).exec();
            Thread.sleep(500); // the shell is up and waits in `read`
            long t0 = System.nanoTime();
            stdin.put("go\n".getBytes());
            boolean ok = done.await(300, TimeUnit.SECONDS);
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                // gone already
            }
            stdin.close();
            attach.close();
            if (!ok || received[0] < bytes) {
                System.err.println("RawAttach: received " + received[0] + " of " + bytes + " bytes " + err);
                System.exit(1);
            }
            System.out.printf("raw_ms %.1f bytes %d%n", (end[0] - t0) / 1e6, bytes);
        }
        docker.close();
        System.exit(0);
    }

    /** A stdin for the attach that blocks until bytes are put (docker-java copies it to the socket). */
    static final class QueueInput extends InputStream {
        private static final byte[] EOF = new byte[0];
        private final LinkedBlockingQueue<byte[]> q = new LinkedBlockingQueue<>();
        private byte[] cur;
        private int pos;

        void put(byte[] b) {
            q.add(b);
        }

        @Override
        public void close() {
            q.add(EOF);
        }

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            try {
                while (cur == null || pos == cur.length) {
                    cur = q.take();
                    pos = 0;
                    if (cur == EOF) {
                        q.add(EOF);
                        return -1;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            int n = Math.min(len, cur.length - pos);
            System.arraycopy(cur, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
