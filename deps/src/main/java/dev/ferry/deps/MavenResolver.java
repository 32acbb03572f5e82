package dev.ferry.deps;


import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.transfer.TransferResource;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Maven Resolver (through its Maven 3 supplier) as {@code %maven} uses it: one {@link RepositorySystem} and
 * two sessions (offline and online) per worker, made on first use and kept, so a second {@code %maven} of
 * artifacts already in the local repository costs only the resolution itself. Resolution tries offline
 * first when every requested version is fixed, and goes online only when something is missing locally.
 */
public final class MavenResolver implements AutoCloseable {
    public static final RemoteRepository CENTRAL = repository("central", "https://repo.maven.apache.org/maven2/");

    /** What one resolution gave: the files in dependency order, and whether it needed the network. */
    public record Resolved(List<Artifact> artifacts, boolean online) {
    }

    /** What a resolution reports while it runs (downloads come from the resolver's own threads). */
    public interface Events {
        /** Nothing (or not everything) was in the local repository: the remote repositories are asked. */
        default void online(String coordinates, List<RemoteRepository> repositories) {
        }

        /** A large file (a jar of 1 MiB or more) starts downloading. */
        default void downloading(String file, long bytes, String repositoryId) {
        }

        /** A file (not a checksum) was downloaded. */
        default void downloaded(String file, long bytes, String repositoryId, long millis) {
        }
    }

    private static final Events QUIET = new Events() { };

    private final Path localRepository;
    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
    private volatile Events progress = QUIET;

    /** Results of earlier resolutions of fixed versions, by coordinates: a repeated %maven costs nothing. */
    private final Map<String, List<Artifact>> resolvedBefore = new HashMap<>();

    private RepositorySystem system;
    private CloseableSession offlineSession;
    private CloseableSession onlineSession;
    private Thread shutdownHook;

    public MavenResolver(Path localRepository, List<RemoteRepository> initial) {
        this.localRepository = localRepository.toAbsolutePath().normalize();
        for (RemoteRepository r : initial) {
            repositories.put(r.getId(), r);
        }
    }

    /** The user's local repository and Maven Central. */
    public static MavenResolver forUser() {
        return new MavenResolver(userLocalRepository(), List.of(CENTRAL));
    }

    public Path localRepository() {
        return localRepository;
    }

    public synchronized List<RemoteRepository> repositories() {
        return List.copyOf(repositories.values());
    }

    /** Adds (or, for a known id, replaces) a remote repository; returns the one it replaced, or null. */
    public synchronized RemoteRepository addRepository(RemoteRepository r) {
        return repositories.put(r.getId(), r);
    }

    public static RemoteRepository repository(String id, String url) {
        RepositoryPolicy policy = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY,
                RepositoryPolicy.CHECKSUM_POLICY_WARN);
        return new RemoteRepository.Builder(id, "default", url).setPolicy(policy).build();
    }

    /**
     * Resolves the artifacts with their transitive runtime dependencies, reporting downloads to
     * {@code events} while it runs. A missing artifact or a failed download is a {@link DependencyException}
     * naming it and the repositories tried.
     */
    public synchronized Resolved resolve(List<Artifact> artifacts, Events events) {
        List<RemoteRepository> repos = List.copyOf(repositories.values());
        boolean fixed = artifacts.stream().noneMatch(Coordinates::isDynamic);
        String key = coordinates(artifacts);
        if (fixed) {
            List<Artifact> known = resolvedBefore.get(key);
            if (known != null && known.stream().allMatch(a -> Files.isRegularFile(a.getPath()))) {
                return new Resolved(known, false); // fixed versions resolve the same way every time
            }
            try {
                List<Artifact> local = resolveWith(offlineSession(), artifacts, repos);
                resolvedBefore.put(key, local);
                return new Resolved(local, false);
            } catch (DependencyResolutionException | RuntimeException e) {
                // something is not in the local repository (yet): go online
            }
        }
        events.online(coordinates(artifacts), repos);
        progress = events;
        try {
            List<Artifact> got = resolveWith(onlineSession(), artifacts, repos);
            if (fixed) {
                resolvedBefore.put(key, got);
            }
            return new Resolved(got, true);
        } catch (DependencyResolutionException e) {
            throw new DependencyException(DependencyException.Code.NOT_FOUND, explain(e, artifacts, repos), e);
        } finally {
            progress = QUIET;
        }
    }

    private List<Artifact> resolveWith(RepositorySystemSession session, List<Artifact> artifacts,
                                       List<RemoteRepository> repos) throws DependencyResolutionException {
        CollectRequest collect = new CollectRequest();
        for (Artifact a : artifacts) {
            collect.addDependency(new Dependency(a, JavaScopes.RUNTIME));
        }
        collect.setRepositories(repos);
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        DependencyResult result = system().resolveDependencies(session, request);
        List<Artifact> out = new ArrayList<>();
        for (ArtifactResult r : result.getArtifactResults()) {
            if (r.getArtifact() != null && r.getArtifact().getPath() != null) {
                out.add(r.getArtifact());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------- errors

    /** The user's message for a failed resolution: what is missing, where it was looked for, what to do. */
    public static String explain(DependencyResolutionException e, List<Artifact> requested, List<RemoteRepository> repos) {
        Set<String> missing = new LinkedHashSet<>();
        Map<String, String> transfer = new LinkedHashMap<>();
        walk(e, missing, transfer, Collections.newSetFromMap(new IdentityHashMap<>()));
        Set<String> roots = new LinkedHashSet<>();
        for (Artifact a : requested) {
            roots.add(Coordinates.text(a));
        }
        if (!missing.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (String m : missing) {
                parts.add(roots.contains(m) ? m : m + " (a dependency of " + String.join(", ", roots) + ")");
            }
            return "could not find " + String.join(", ", parts) + " in " + describe(repos)
                    + "; check the coordinates"
                    + (repos.size() == 1 ? ", or add the repository that has it with %mavenRepo ID URL" : "");
        }
        if (!transfer.isEmpty()) {
            Map.Entry<String, String> first = transfer.entrySet().iterator().next();
            return "could not download " + first.getKey() + ": " + first.getValue()
                    + "; check the network connection and the repositories (" + describe(repos) + ")";
        }
        String why = e.getMessage();
        Throwable c = e.getCause();
        if (c instanceof DependencyCollectionException && c.getCause() != null) {
            why = c.getCause().getMessage();
        }
        return "could not resolve " + String.join(", ", roots) + ": " + why;
    }

    private static void walk(Throwable t, Set<String> missing, Map<String, String> transfer, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        if (t instanceof ArtifactNotFoundException nf && nf.getArtifact() != null) {
            missing.add(Coordinates.text(nf.getArtifact()));
        } else if (t instanceof ArtifactTransferException te && te.getArtifact() != null) {
            String where = te.getRepository() == null ? "" : " from " + te.getRepository().getId();
            Throwable root = te;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            transfer.putIfAbsent(Coordinates.text(te.getArtifact()) + where,
                    root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        }
        if (t instanceof ArtifactResolutionException are) {
            for (ArtifactResult r : are.getResults()) {
                for (Exception x : r.getExceptions()) {
                    walk(x, missing, transfer, seen);
                }
            }
        }
        if (t instanceof DependencyResolutionException dre && dre.getResult() != null) {
            for (Exception x : dre.getResult().getCollectExceptions()) {
                walk(x, missing, transfer, seen);
            }
            for (ArtifactResult r : dre.getResult().getArtifactResults()) {
                for (Exception x : r.getExceptions()) {
                    walk(x, missing, transfer, seen);
                }
            }
        }
        if (t instanceof DependencyCollectionException dce && dce.getResult() != null) {
            for (Exception x : dce.getResult().getExceptions()) {
                walk(x, missing, transfer, seen);
            }
        }
        walk(t.getCause(), missing, transfer, seen);
        for (Throwable s : t.getSuppressed()) {
            walk(s, missing, transfer, seen);
        }
    }

    /** "central (https://repo.maven.apache.org/maven2/), jitpack (https://jitpack.io/)" */
    public static String describe(List<RemoteRepository> repos) {
        List<String> out = new ArrayList<>();
        for (RemoteRepository r : repos) {
            out.add(r.getId() + " (" + r.getUrl() + ")");
        }
        return out.isEmpty() ? "no repository" : String.join(", ", out);
    }

    public static String coordinates(List<Artifact> artifacts) {
        List<String> out = new ArrayList<>();
        for (Artifact a : artifacts) {
            out.add(Coordinates.text(a));
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------------------------- system and sessions

    private RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
            shutdownHook = new Thread(this::close, "ferry-maven-shutdown");
            try {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                shutdownHook = null;
            }
        }
        return system;
    }

    private CloseableSession offlineSession() {
        if (offlineSession == null) {
            offlineSession = builder().setOffline(true).build();
        }
        return offlineSession;
    }

    private CloseableSession onlineSession() {
        if (onlineSession == null) {
            onlineSession = builder().setOffline(false).setTransferListener(new Listener()).build();
        }
        return onlineSession;
    }

    private RepositorySystemSession.SessionBuilder builder() {
        return new SessionBuilderSupplier(system()).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setSystemProperties(System.getProperties())
                // a notebook user fixes a typo and runs again: never remember "not found" between calls
                .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(ResolutionErrorPolicy.CACHE_DISABLED))
                .setConfigProperty("aether.transport.http.userAgent", "Ferry (Maven Resolver)");
    }

    /** Closes the sessions and shuts the repository system down; a later call makes them again. */
    @Override
    public synchronized void close() {
        if (offlineSession != null) {
            offlineSession.close();
            offlineSession = null;
        }
        if (onlineSession != null) {
            onlineSession.close();
            onlineSession = null;
        }
        if (system != null) {
            system.shutdown();
            system = null;
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException ignored) {
                    // the JVM is shutting down already
                }
            }
            shutdownHook = null;
        }
    }

    /** Reports each download as one line, to whatever {@link #progress} is at that moment. */
    private final class Listener extends AbstractTransferListener {
        @Override
        public void transferSucceeded(TransferEvent event) {
            TransferResource r = event.getResource();
            String name = r.getResourceName();
            if (event.getRequestType() != TransferEvent.RequestType.GET || isChecksum(name)) {
                return;
            }
            long ms = Math.max(0, System.currentTimeMillis() - r.getTransferStartTime());
            progress.downloaded(name.substring(name.lastIndexOf('/') + 1), event.getTransferredBytes(),
                    r.getRepositoryId(), ms);
        }

        @Override
        public void transferStarted(TransferEvent event) {
            TransferResource r = event.getResource();
            String name = r.getResourceName();
            // announce only what takes a while: jars of a megabyte or more
            if (event.getRequestType() == TransferEvent.RequestType.GET && name.endsWith(".jar")
                    && r.getContentLength() >= 1 << 20) {
                progress.downloading(name.substring(name.lastIndexOf('/') + 1), r.getContentLength(),
                        r.getRepositoryId());
            }
        }
    }

    private static boolean isChecksum(String name) {
        return name.endsWith(".sha1") || name.endsWith(".md5") || name.endsWith(".sha256")
                || name.endsWith(".sha512") || name.endsWith(".asc");
    }

    public static String size(long bytes) {
        if (bytes < 0) {
            return "? B";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /**
     * Loads the classes a first {@code %maven} needs (repository system, sessions, collection, model
     * building) by resolving a missing artifact offline in a throwaway local repository, then shuts down.
     * For class-data-sharing training runs of the worker, so the first real {@code %maven} starts faster.
     */
    /**
     * Loads the resolver's classes (for a worker's class-data archive): an offline resolution of an artifact
     * that does not exist, in a temporary local repository that is deleted afterwards. Returns the error
     * message the user would see for it, so a test can check the whole path ran.
     */
    public static String train() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ferry-maven-train");
            try (MavenResolver r = new MavenResolver(dir, List.of(CENTRAL))) {
                try {
                    r.resolveWith(r.offlineSession(),
                            List.of(Coordinates.parse("dev.ferry.train:none:1.0")), List.of(CENTRAL));
                    return "resolved dev.ferry.train:none:1.0, which does not exist";
                } catch (DependencyResolutionException expected) {
                    return explain(expected, List.of(), List.of(CENTRAL));
                }
            }
        } catch (Exception | LinkageError e) {
            return "training failed: " + e; // training is best effort
        } finally {
            if (dir != null) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (Exception ignored) {
                    // a leftover temp folder
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------- local repository

    /**
     * The user's local repository as Maven finds it: {@code -Dmaven.repo.local}, else {@code <localRepository>}
     * in {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}.
     */
    public static Path userLocalRepository() {
        return userLocalRepository(dev.ferry.spi.FerryEnv.current());
    }

    /** {@link #userLocalRepository()} in a given environment (system properties and variables). */
    public static Path userLocalRepository(dev.ferry.spi.FerryEnv fe) {
        String home = fe.userHome();
        String prop = fe.property("maven.repo.local");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        Path settings = Path.of(home, ".m2", "settings.xml");
        String fromSettings = localRepositoryIn(settings, fe);
        if (fromSettings != null) {
            return Path.of(fromSettings);
        }
        return Path.of(home, ".m2", "repository");
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(env\\.)?([^}]+)}");

    /** The {@code <localRepository>} of a settings.xml, placeholders expanded; null when absent. */
    public static String localRepositoryIn(Path settings, dev.ferry.spi.FerryEnv fe) {
        if (!Files.isRegularFile(settings)) {
            return null;
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            Document d = f.newDocumentBuilder().parse(settings.toFile());
            NodeList nodes = d.getElementsByTagName("localRepository");
            if (nodes.getLength() == 0) {
                return null;
            }
            String text = nodes.item(0).getTextContent().trim();
            if (text.isEmpty()) {
                return null;
            }
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = m.group(1) != null ? fe.env(m.group(2)) : fe.property(m.group(2));
                m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
            }
            m.appendTail(out);
            String s = out.toString();
            if (s.startsWith("~/")) {
                s = fe.userHome() + s.substring(1);
            }
            return s;
        } catch (Exception e) {
            return null; // an unreadable settings.xml: Maven would complain; %maven uses the default
        }
    }

    /** Checks a repository URL for %mavenRepo: http, https or file, with a host for http(s). */
    public static String checkUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (Exception e) {
            throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%mavenRepo: '" + url + "' is not a valid URL; write e.g. "
                    + "https://repo.example.com/maven2/");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%mavenRepo: '" + url + "' is not an http, https or file URL; write e.g. "
                    + "https://repo.example.com/maven2/ (or file:///path/to/repo/)");
        }
        if (!scheme.equals("file") && (u.getHost() == null || u.getHost().isEmpty())) {
            throw new DependencyException(DependencyException.Code.INVALID_ARGUMENT, "%mavenRepo: '" + url + "' has no host; write e.g. "
                    + "https://repo.example.com/maven2/");
        }
        return url.endsWith("/") ? url : url + "/";
    }
}
