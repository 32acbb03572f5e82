package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.ferry.BuildContext;
import dev.ferry.Image;
import dev.ferry.deps.MavenJars;
import dev.ferry.remote.display.Text;
import dev.ferry.remote.engine.EngineException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns an {@link Image} into an image in the engine. The tag is the content hash of the recipe, so a
 * recipe the engine already has costs one inspect; otherwise the Dockerfile and its context are sent as a
 * tar and built with host networking (apt and pip reach their mirrors; Maven jars were resolved here).
 */
final class ImageBuilder {
    static final String DOCKERFILE = "Dockerfile.ferry";
    private static final int LOG_TAIL = 25;
    private static final Map<String, String> BUILD_LABELS = Map.of(DockerEngine.LABEL, "image");
    private final DockerClient docker;
    private final String host;

    ImageBuilder(DockerClient docker, String host) {
        this.docker = docker;
        this.host = host;
    }

    String prepare(Image image, Consumer<String> log) throws EngineException {
        Image.Rendered r = image.render();
        boolean plain = r.layers().size() == 1 && image.baseImage().isPresent() && r.context().entries().isEmpty()
                && r.context().baseDir().isEmpty() && r.dockerfile().strip().endsWith("FROM " + image.baseImage().get());
        if (plain) { // nothing to build: the base image itself
            requireBase(image);
            return image.baseImage().get();
        }
        if (exists(r.tag())) {
            return r.tag();
        }
        if (image.usesLocalBase()) {
            requireBase(image);
        }
        build(r, log);
        return r.tag();
    }

    private void requireBase(Image image) throws EngineException {
        String base = image.baseImage().orElseThrow();
        if (!exists(base)) {
            if (image.usesLocalBase()) {
                throw DockerErrors.missingBase(base);
            }
            throw new EngineException("the image " + base + " is not in the Docker engine at " + host
                    + " and Ferry does not pull from registries during a cell: `docker pull " + base
                    + "` on the engine's host first (or use Image.debianSlim(), built from Debian packages)");
        }
    }

    private boolean exists(String ref) throws EngineException {
        try {
            docker.inspectImageCmd(ref).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw DockerErrors.map("looking up image " + ref, e, host);
        }
    }

    private void build(Image.Rendered r, Consumer<String> log) throws EngineException {
        int steps = buildSteps(r.dockerfile());
        log.accept("building " + r.tag() + " (" + steps + (steps == 1 ? " step" : " steps") + ")");
        Deque<String> tail = new ArrayDeque<>();
        String[] error = new String[1];
        try (Tars context = context(r, log)) {
            docker.buildImageCmd()
                    .withTarInputStream(context.open())
                    .withDockerfilePath(DOCKERFILE)
                    .withTags(Set.of(r.tag()))
                    .withNetworkMode("host")
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true) // a failed step's container goes too
                    .withLabels(BUILD_LABELS)
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            if (item.getStream() != null) {
                                for (String raw : item.getStream().split("\n")) {
                                    String line = Text.stripAnsi(raw).stripTrailing(); // apt colours its errors
                                    if (!line.isBlank()) {
                                        log.accept(line);
                                        tail.addLast(line);
                                        if (tail.size() > LOG_TAIL) {
                                            tail.removeFirst();
                                        }
                                    }
                                }
                            }
                            if (item.isErrorIndicated()) {
                                error[0] = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                        ? item.getErrorDetail().getMessage() : item.getError();
                            }
                            super.onNext(item);
                        }
                    }).awaitImageId();
        } catch (EngineException e) {
            throw e;
        } catch (Exception e) {
            String why = error[0] != null ? error[0] : String.valueOf(e.getMessage());
            throw new EngineException(failure(r, why, List.copyOf(tail)), e);
        }
    }

    /** "step 3/4 failed: RUN ...", Docker's reason and the tail of the build log. */
    static String failure(Image.Rendered r, String why, List<String> tail) {
        String step = "";
        for (int i = tail.size() - 1; i >= 0; i--) {
            String line = tail.get(i);
            if (line.startsWith("Step ")) {
                step = line;
                break;
            }
        }
        StringBuilder b = new StringBuilder("the image build failed");
        if (!step.isEmpty()) {
            b.append(" at ").append(step);
        }
        b.append(": ").append(why.strip());
        if (!tail.isEmpty()) {
            b.append("\nlast lines of the build log:\n  ").append(String.join("\n  ", tail));
        }
        if (step.contains("python3 -m pip") && String.join("\n", tail).contains("python3: not found")) {
            b.append("\nthis base image has no Python: add .aptInstall(\"python3\", \"python3-pip\") before pipInstall"
                    + " (Image.debianSlim() adds them itself)");
        }
        b.append("\nfix the step in the Image recipe and run the cell again (the steps before it stay cached)");
        return b.toString();
    }

    /** The steps of a build of this Dockerfile as Docker numbers them: its own, then one LABEL step for the labels. */
    static int buildSteps(String dockerfile) {
        return steps(dockerfile) + (BUILD_LABELS.isEmpty() ? 0 : 1);
    }

    /**
     * How many steps Docker's builder counts in a Dockerfile ("Step 2/3"): its instructions, not counting comments,
     * blank lines and continuation lines.
     */
    static int steps(String dockerfile) {
        int n = 0;
        boolean continued = false;
        for (String line : dockerfile.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#") || t.isEmpty()) {
                continue;
            }
            if (!continued) {
                n++;
            }
            continued = t.endsWith("\\");
        }
        return n;
    }

    private static Tars context(Image.Rendered r, Consumer<String> log) throws Exception {
        // Maven jars are resolved on this host before the tar is written (the build needs no Maven network)
        Map<String, List<Path>> jars = new java.util.LinkedHashMap<>();
        for (var e : r.context().entries().entrySet()) {
            if (e.getValue() instanceof BuildContext.MavenJars m) {
                try {
                    jars.put(e.getKey(), MavenJars.resolve(m.coordinates(), log));
                } catch (RuntimeException ex) {
                    throw new EngineException("mavenInstall could not resolve " + String.join(", ", m.coordinates())
                            + ": " + ex.getMessage(), ex);
                }
            }
        }
        return Tars.write(tar -> {
            if (r.context().baseDir().isPresent()) {
                Path base = r.context().baseDir().get();
                try (var s = java.nio.file.Files.list(base)) {
                    for (Path p : s.toList()) {
                        Tars.add(tar, p, p.getFileName().toString());
                    }
                }
            }
            for (var e : r.context().entries().entrySet()) {
                String name = e.getKey();
                BuildContext.Entry v = e.getValue();
                if (v instanceof BuildContext.LocalFile f) {
                    Tars.add(tar, f.source(), name);
                } else if (v instanceof BuildContext.LocalDir d) {
                    Tars.add(tar, d.source(), name);
                } else if (v instanceof BuildContext.Bytes b) {
                    Tars.addBytes(tar, name, b.content());
                } else {
                    for (Path jar : jars.get(name)) {
                        Tars.add(tar, jar, name + jar.getFileName());
                    }
                }
            }
            Tars.addBytes(tar, DOCKERFILE, r.dockerfile().getBytes(StandardCharsets.UTF_8));
        });
    }
}
