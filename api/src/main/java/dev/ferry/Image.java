package dev.ferry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An immutable container-image recipe. Every builder call returns a new {@code Image}; the receiver is unchanged.
 *
 * <pre>{@code
 * Image img = Image.debianSlim()
 *     .aptInstall("git")
 *     .mavenInstall("org.apache.commons:commons-math3:3.6.1")
 *     .env(Map.of("A", "1"))
 *     .runCommands("echo ready");
 * img.dockerfile();   // the Dockerfile text
 * img.context();      // the build-context entries a builder must provide
 * img.tag();          // ferry/image:<16 hex>, the content hash of both
 * }</pre>
 *
 * See {@code docs/images.md}.
 */
public final class Image {
    /** Repository of the local (offline) base images that {@code install/} bootstraps with debootstrap. */
    public static final String LOCAL_BASE_REPOSITORY = "ferry/base";
    /** The step before the first {@link #pipInstall} on a Debian base: Python and pip from Debian packages. */
    public static final String PYTHON_STEP = "RUN apt-get update && apt-get install -y --no-install-recommends"
            + " python3 python3-pip && rm -rf /var/lib/apt/lists/*";
    /** The registry's Debian base used when a registry is reachable. */
    public static final String DEBIAN_SLIM = "debian:bookworm-slim";
    /** The only OpenJDK major that Debian 12 (bookworm) packages. */
    public static final int DEBIAN_JDK = 17;
    /** The local base image for this JVM's major version, e.g. {@code ferry/base:bookworm-jdk17}. */
    public static final String LOCAL_BASE = localBase(Runtime.version().feature());
    /** Repository of the images Ferry builds. */
    public static final String TAG_REPOSITORY = "ferry/image";
    /** Where {@link #mavenInstall} puts the resolved jars inside the image. */
    public static final String MAVEN_LIB_DIR = "/opt/ferry/lib/";

    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9_./+@%:-]+");

    /** The base: a FROM line (maybe preceded by a note) or the content of a user's Dockerfile. */
    private final String base;
    private final Optional<String> baseImage;
    private final Optional<Path> contextBase;
    private final String baseForceNonce;
    private final List<Layer> layers;

    private enum Kind { APT, MAVEN, PIP, RUN, ENV, WORKDIR, COPY_FILE, COPY_DIR, ENTRYPOINT }

    /** One builder step; local copies are rendered lazily so their content hash is read at render time. */
    private record Layer(Kind kind, String text, List<String> items, Path local, String remote, String forceNonce) {
        Layer withForce(String nonce) {
            return new Layer(kind, text, items, local, remote, nonce);
        }
    }

    private Image(String base, Optional<String> baseImage, Optional<Path> contextBase, String baseForceNonce,
                  List<Layer> layers) {
        this.base = base;
        this.baseImage = baseImage;
        this.contextBase = contextBase;
        this.baseForceNonce = baseForceNonce;
        this.layers = List.copyOf(layers);
    }

    // ------------------------------------------------------------------ factories

    /** The local base image name for a JDK major, e.g. {@code ferry/base:bookworm-jdk21}. */
    public static String localBase(int jdkMajor) {
        return LOCAL_BASE_REPOSITORY + ":bookworm-jdk" + jdkMajor;
    }

    /**
     * Debian bookworm with a JDK of this JVM's major version, from the local base image {@code install/docker.sh}
     * bootstraps from Debian packages ({@code ferry/base:bookworm-jdk<N>}): it builds with no registry, and its JDK
     * matches the kernel's. {@code debianSlim(17, true)} is the registry form ({@code debian:bookworm-slim} + apt).
     */
    public static Image debianSlim() {
        return debianSlim(Runtime.version().feature(), false);
    }

    /**
     * Debian bookworm-slim with OpenJDK {@code jdkMajor}.
     * <ul>
     *   <li>registry reachable and {@code jdkMajor == 17}: {@code FROM debian:bookworm-slim} plus an apt layer
     *       installing {@code openjdk-17-jdk-headless};</li>
     *   <li>otherwise: {@code FROM ferry/base:bookworm-jdk<N>}, the local base that {@code install/} bootstraps with
     *       debootstrap + docker import (its JDK is already installed). For a major other than 17 a comment in
     *       the Dockerfile says why (Debian 12 packages OpenJDK 17 only).</li>
     * </ul>
     */
    public static Image debianSlim(int jdkMajor, boolean registryReachable) {
        if (jdkMajor < 8) throw new IllegalArgumentException("JDK major must be >= 8, got " + jdkMajor);
        if (registryReachable && jdkMajor == DEBIAN_JDK) {
            Image img = new Image("FROM " + DEBIAN_SLIM, Optional.of(DEBIAN_SLIM), Optional.empty(), null, List.of());
            return img.aptInstall("openjdk-" + jdkMajor + "-jdk-headless");
        }
        String local = localBase(jdkMajor);
        String from = "FROM " + local;
        if (jdkMajor != DEBIAN_JDK) {
            from = "# Debian 12 packages OpenJDK " + DEBIAN_JDK + " only; JDK " + jdkMajor
                    + " comes from the local base image " + local + " (built by install/)\n" + from;
        }
        return new Image(from, Optional.of(local), Optional.empty(), null, List.of());
    }

    /** An image from a registry (or already in the engine), e.g. {@code eclipse-temurin:21-jdk}. */
    public static Image fromRegistry(String name) {
        Objects.requireNonNull(name, "name");
        ImageChecks.imageRef(name);
        return new Image("FROM " + name, Optional.of(name), Optional.empty(), null, List.of());
    }

    /** A user's Dockerfile: its content becomes the first part, its directory the build context's base. */
    public static Image fromDockerfile(Path dockerfile) {
        Objects.requireNonNull(dockerfile, "dockerfile");
        Path abs = dockerfile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new IllegalArgumentException("Dockerfile does not exist or is not a file: " + abs);
        }
        String content;
        try {
            content = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Dockerfile " + abs + ": " + e.getMessage(), e);
        }
        content = content.replace("\r\n", "\n").replace('\r', '\n').stripTrailing();
        if (content.isBlank()) throw new IllegalArgumentException("Dockerfile is empty: " + abs);
        return new Image(content, Optional.empty(), Optional.of(abs.getParent()), null, List.of());
    }

    // ------------------------------------------------------------------ layers

    /** One {@code RUN apt-get update && apt-get install -y --no-install-recommends ...}, packages in the given order. */
    public Image aptInstall(String... packages) {
        List<String> pkgs = ImageChecks.aptPackages(packages);
        String text = "RUN apt-get update && apt-get install -y --no-install-recommends " + String.join(" ", pkgs)
                + " && rm -rf /var/lib/apt/lists/*";
        return with(new Layer(Kind.APT, text, pkgs, null, null, null));
    }

    /**
     * Maven artifacts ({@code groupId:artifactId[:extension[:classifier]]:version}) resolved by the caller on the host
     * and copied from context folder {@code maven/<hash>/} to {@value #MAVEN_LIB_DIR}.
     */
    public Image mavenInstall(String... coordinates) {
        List<String> coords = ImageChecks.mavenCoordinates(coordinates);
        String dir = mavenDir(coords);
        return with(new Layer(Kind.MAVEN, "COPY " + dir + " " + MAVEN_LIB_DIR, coords, null, null, null));
    }

    private static String mavenDir(List<String> coords) {
        return "maven/" + ContentHash.ofString(String.join("\n", coords)).substring(0, 16) + "/";
    }

    /**
     * One {@code RUN python3 -m pip install ...} (Debian 12 needs {@code PIP_BREAK_SYSTEM_PACKAGES}). On a
     * {@link #debianSlim} base, which has no Python, the first one is preceded by {@link #PYTHON_STEP} unless an
     * {@code aptInstall} already added {@code python3-pip}; another base must have {@code python3 -m pip}.
     */
    public Image pipInstall(String... packages) {
        List<String> pkgs = ImageChecks.pipRequirements(packages);
        StringBuilder sb = new StringBuilder(
                "RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir");
        for (String p : pkgs) sb.append(' ').append(ImageChecks.shellQuote(p));
        return with(new Layer(Kind.PIP, sb.toString(), pkgs, null, null, null));
    }

    /** Each command becomes its own {@code RUN} (shell form). */
    public Image runCommands(String... commands) {
        List<String> cmds = ImageChecks.nonEmpty("runCommands", commands);
        Image img = this;
        for (String c : cmds) {
            if (c.isBlank()) throw new IllegalArgumentException("runCommands: a command is blank");
            String norm = c.replace("\r\n", "\n");
            for (int i = norm.indexOf('\n'); i >= 0; i = norm.indexOf('\n', i + 1)) {
                if (i == 0 || norm.charAt(i - 1) != '\\') {
                    throw new IllegalArgumentException("runCommands: command has a line break not preceded by '\\' "
                            + "(join lines with && or end them with \\): " + ImageChecks.abbreviate(c));
                }
            }
            img = img.with(new Layer(Kind.RUN, "RUN " + norm, List.of(norm), null, null, null));
        }
        return img;
    }

    /** One {@code ENV} with the variables sorted by name, values double-quoted and escaped. */
    public Image env(Map<String, String> vars) {
        Objects.requireNonNull(vars, "vars");
        if (vars.isEmpty()) throw new IllegalArgumentException("env: no variables given");
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || !ImageChecks.ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("invalid environment variable name '" + k
                        + "': expected letters, digits and '_', not starting with a digit");
            }
            if (v == null) throw new IllegalArgumentException("environment variable " + k + " has a null value");
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("environment variable " + k
                        + " contains a line break, which a Dockerfile ENV cannot hold");
            }
            sorted.put(k, v);
        }
        StringBuilder sb = new StringBuilder("ENV");
        List<String> items = new ArrayList<>();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            sb.append(' ').append(e.getKey()).append("=\"").append(ImageChecks.envEscape(e.getValue())).append('"');
            items.add(e.getKey());
        }
        return with(new Layer(Kind.ENV, sb.toString(), items, null, null, null));
    }

    /** {@code WORKDIR path}; the path must be absolute. */
    public Image workdir(String path) {
        String p = ImageChecks.absoluteRemote("workdir", path);
        return with(new Layer(Kind.WORKDIR, "WORKDIR " + p, List.of(p), null, null, null));
    }

    /** Copies a local directory's content to the absolute {@code remote} directory. */
    public Image addLocalDir(Path local, String remote) {
        Path src = ImageChecks.existingLocal(local);
        if (!Files.isDirectory(src)) throw new IllegalArgumentException("addLocalDir: not a directory: " + src);
        String r = ImageChecks.absoluteRemote("addLocalDir", remote);
        return with(new Layer(Kind.COPY_DIR, null, List.of(), src, r, null));
    }

    /** Copies a local file to the absolute {@code remote} path (a path ending in '/' keeps the file's name). */
    public Image addLocalFile(Path local, String remote) {
        Path src = ImageChecks.existingLocal(local);
        if (!Files.isRegularFile(src)) throw new IllegalArgumentException("addLocalFile: not a regular file: " + src);
        String r = ImageChecks.absoluteRemote("addLocalFile", remote);
        return with(new Layer(Kind.COPY_FILE, null, List.of(), src, r, null));
    }

    /** {@code ENTRYPOINT} in JSON (exec) form. */
    public Image entrypoint(List<String> argv) {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) throw new IllegalArgumentException("entrypoint: empty command");
        for (String a : argv) if (a == null) throw new IllegalArgumentException("entrypoint: null argument");
        List<String> copy = List.copyOf(argv);
        return with(new Layer(Kind.ENTRYPOINT, "ENTRYPOINT " + RecipeJson.write(copy), copy, null, null, null));
    }

    /** {@code ENTRYPOINT} in JSON form. */
    public Image entrypoint(String... argv) {
        return entrypoint(Arrays.asList(argv));
    }

    /**
     * Marks the last layer (or the base, when there is none) as forced: a fresh nonce goes into a
     * {@code LABEL dev.ferry.force="<nonce>"} just before it, so the tag changes on every call and Docker's cache
     * misses from that step on.
     */
    public Image forceBuild() {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        if (layers.isEmpty()) return new Image(base, baseImage, contextBase, nonce, layers);
        List<Layer> next = new ArrayList<>(layers);
        next.set(next.size() - 1, next.get(next.size() - 1).withForce(nonce));
        return new Image(base, baseImage, contextBase, baseForceNonce, next);
    }

    // ------------------------------------------------------------------ accessors and rendering

    /** The image named in the FROM line, when the base is not a user's Dockerfile. */
    public Optional<String> baseImage() {
        return baseImage;
    }

    /** Whether the base is a {@link #debianSlim} one (local or registry), which has no Python. */
    private boolean debianBase() {
        return usesLocalBase() || baseImage.map(DEBIAN_SLIM::equals).orElse(false);
    }

    /** Whether the base is one of the local images {@code install/} bootstraps (the builder must not pull it). */
    public boolean usesLocalBase() {
        return baseImage.map(b -> b.startsWith(LOCAL_BASE_REPOSITORY + ":")).orElse(false);
    }

    /** All Maven coordinates of all {@link #mavenInstall} layers, in order (duplicates kept once). */
    public List<String> mavenCoordinates() {
        LinkedHashMap<String, Boolean> all = new LinkedHashMap<>();
        for (Layer l : layers) if (l.kind == Kind.MAVEN) for (String c : l.items) all.put(c, true);
        return List.copyOf(all.keySet());
    }

    /** Renders everything once (local content hashed once), so dockerfile, context and tag agree. */
    public Rendered render() {
        List<String> steps = new ArrayList<>();
        LinkedHashMap<String, BuildContext.Entry> entries = new LinkedHashMap<>();
        steps.add(base);
        if (baseForceNonce != null) steps.add(forceLabel(baseForceNonce));
        boolean hasPip = !debianBase();
        for (Layer l : layers) {
            hasPip |= l.kind == Kind.APT && l.items.stream().anyMatch(i -> i.startsWith("python3-pip"));
            if (l.kind == Kind.PIP && !hasPip) { // Debian's base has no Python: pip comes from Debian packages first
                steps.add(PYTHON_STEP);
                hasPip = true;
            }
            if (l.forceNonce != null) steps.add(forceLabel(l.forceNonce));
            steps.add(renderLayer(l, entries));
        }
        String dockerfile = String.join("\n", steps) + "\n";
        BuildContext ctx = new BuildContext(contextBase, entries);
        var md = ContentHash.sha256();
        md.update(("ferry-image-v1\n" + dockerfile).getBytes(StandardCharsets.UTF_8));
        if (contextBase.isPresent()) {
            md.update(("\0base\0" + ContentHash.ofPath(contextBase.get())).getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, BuildContext.Entry> e : new TreeMap<>(entries).entrySet()) {
            md.update(("\0entry\0" + e.getKey() + "\0" + e.getValue().contentHash())
                    .getBytes(StandardCharsets.UTF_8));
        }
        String hex = java.util.HexFormat.of().formatHex(md.digest());
        return new Rendered(dockerfile, List.copyOf(steps), ctx, TAG_REPOSITORY + ":" + hex.substring(0, 16));
    }

    /** The rendered recipe: Dockerfile text, its steps (for "step 3/7 failed" reports), build context and tag. */
    public record Rendered(String dockerfile, List<String> layers, BuildContext context, String tag) {}

    /** The Dockerfile text. */
    public String dockerfile() {
        return render().dockerfile();
    }

    /** The build context entries a builder must provide alongside {@link #dockerfile()}. */
    public BuildContext context() {
        return render().context();
    }

    /** {@code ferry/image:<first 16 hex of SHA-256>} of the Dockerfile text and the context entries' content hashes. */
    public String tag() {
        return render().tag();
    }

    /** The rendered steps in Dockerfile order; the first is the base (FROM line or user's Dockerfile). */
    public List<String> layers() {
        return render().layers();
    }

    private static String forceLabel(String nonce) {
        return "LABEL dev.ferry.force=\"" + nonce + "\"";
    }

    private static String renderLayer(Layer l, Map<String, BuildContext.Entry> entries) {
        switch (l.kind) {
            case MAVEN: {
                String dir = mavenDir(l.items);
                String h = ContentHash.ofString("maven\0" + String.join("\n", l.items));
                entries.put(dir, new BuildContext.MavenJars(l.items, h));
                return l.text;
            }
            case COPY_FILE: {
                if (!Files.isRegularFile(l.local)) {
                    throw new IllegalStateException("local file added to the image no longer exists: " + l.local);
                }
                String h = ContentHash.ofPath(l.local);
                String name = "local/" + h.substring(0, 16) + "/" + l.local.getFileName();
                entries.put(name, new BuildContext.LocalFile(l.local, h));
                return copy(name, l.remote);
            }
            case COPY_DIR: {
                if (!Files.isDirectory(l.local)) {
                    throw new IllegalStateException("local directory added to the image no longer exists: " + l.local);
                }
                String h = ContentHash.ofPath(l.local);
                String name = "local/" + h.substring(0, 16) + "/";
                entries.put(name, new BuildContext.LocalDir(l.local, h));
                return copy(name, l.remote.endsWith("/") ? l.remote : l.remote + "/");
            }
            default:
                return l.text;
        }
    }

    private static String copy(String src, String dst) {
        if (PLAIN_PATH.matcher(src).matches() && PLAIN_PATH.matcher(dst).matches()) {
            return "COPY " + src + " " + dst;
        }
        return "COPY " + RecipeJson.write(List.of(src, dst));
    }

    // ------------------------------------------------------------------ helpers

    private Image with(Layer layer) {
        List<Layer> next = new ArrayList<>(layers);
        next.add(layer);
        return new Image(base, baseImage, contextBase, baseForceNonce, next);
    }

    // ------------------------------------------------------------------ transport

    /**
     * The recipe as JSON, for the trip from the notebook's worker to the kernel's image builder (both on
     * the same host, so local paths stay valid). {@link #fromJson} gives back an equal recipe.
     */
    public String toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("v", 1);
        o.put("base", base);
        baseImage.ifPresent(b -> o.put("baseImage", b));
        contextBase.ifPresent(c -> o.put("contextBase", c.toString()));
        if (baseForceNonce != null) o.put("force", baseForceNonce);
        List<Object> ls = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("kind", l.kind.name());
            if (l.text != null) j.put("text", l.text);
            j.put("items", l.items == null ? List.of() : l.items);
            if (l.local != null) j.put("local", l.local.toString());
            if (l.remote != null) j.put("remote", l.remote);
            if (l.forceNonce != null) j.put("force", l.forceNonce);
            ls.add(j);
        }
        o.put("layers", ls);
        return RecipeJson.write(o);
    }

    /** The recipe {@link #toJson} wrote. */
    @SuppressWarnings("unchecked")
    public static Image fromJson(String json) {
        if (!(RecipeJson.parse(json) instanceof Map<?, ?> parsed) || !Long.valueOf(1).equals(parsed.get("v"))) {
            throw new IllegalArgumentException("not an Image recipe of version 1");
        }
        Map<String, Object> o = (Map<String, Object>) parsed;
        List<Layer> ls = new ArrayList<>();
        for (Object e : (List<Object>) o.get("layers")) {
            Map<String, Object> j = (Map<String, Object>) e;
            List<String> items = new ArrayList<>();
            ((List<Object>) j.get("items")).forEach(i -> items.add((String) i));
            ls.add(new Layer(Kind.valueOf((String) j.get("kind")), (String) j.get("text"), List.copyOf(items),
                    j.containsKey("local") ? Path.of((String) j.get("local")) : null,
                    (String) j.get("remote"), (String) j.get("force")));
        }
        return new Image((String) o.get("base"), Optional.ofNullable((String) o.get("baseImage")),
                Optional.ofNullable((String) o.get("contextBase")).map(Path::of), (String) o.get("force"), ls);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Image[");
        sb.append(baseImage.orElse("Dockerfile in " + contextBase.map(Path::toString).orElse("?")));
        if (baseForceNonce != null) sb.append(" (forced)");
        for (Layer l : layers) {
            sb.append(" | ");
            switch (l.kind) {
                case APT -> sb.append("apt ").append(String.join(" ", l.items));
                case MAVEN -> sb.append("maven ").append(String.join(" ", l.items));
                case PIP -> sb.append("pip ").append(String.join(" ", l.items));
                case RUN -> sb.append("run ").append(ImageChecks.abbreviate(l.items.get(0)));
                case ENV -> sb.append("env ").append(String.join(",", l.items));
                case WORKDIR -> sb.append("workdir ").append(l.items.get(0));
                case COPY_FILE -> sb.append("file ").append(l.local).append(" -> ").append(l.remote);
                case COPY_DIR -> sb.append("dir ").append(l.local).append(" -> ").append(l.remote);
                case ENTRYPOINT -> sb.append("entrypoint ").append(String.join(" ", l.items));
            }
            if (l.forceNonce != null) sb.append(" (forced)");
        }
        return sb.append(']').toString();
    }
}
