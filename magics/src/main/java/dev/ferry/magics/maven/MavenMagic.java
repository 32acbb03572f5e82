package dev.ferry.magics.maven;

import dev.ferry.Progress;
import dev.ferry.deps.Coordinates;
import dev.ferry.deps.DependencyException;
import dev.ferry.deps.MavenResolver;
import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.repository.RemoteRepository;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code %maven group:artifact:version ...}: resolves with transitive dependencies, adds the jars. */
final class MavenMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("maven", MagicSpec.Kind.LINE)
            .summary("Add Maven artifacts, with their dependencies, to the class path")
            .arg(ArgSpec.positional("coordinates", ArgSpec.Type.STRING).required()
                    .help("group:artifact:version (or group:artifact:extension[:classifier]:version)")
                    .example("org.apache.commons:commons-math3:3.6.1"))
            .rest("more", "further coordinates, separated by spaces")
            .details("""
                    Resolves each artifact with its transitive runtime dependencies through Maven Resolver, \
                    from the local repository (~/.m2/repository, or <localRepository> in ~/.m2/settings.xml) \
                    first and then from Maven Central and the repositories added with %mavenRepo; downloads \
                    are cached in the local repository. Every jar is added to the session, so the next \
                    snippet can import it; jars already added are skipped.

                    Examples:
                      %maven org.apache.commons:commons-math3:3.6.1
                      %maven com.google.guava:guava:33.4.0-jre org.knowm.xchart:xchart:3.8.8
                      %maven org.lwjgl:lwjgl:jar:natives-linux:3.3.6""")
            .build();

    private final Supplier<MavenResolver> resolver;
    private final ClasspathTracker tracker;

    MavenMagic(Supplier<MavenResolver> resolver, ClasspathTracker tracker) {
        this.resolver = resolver;
        this.tracker = tracker;
    }

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext context) {
        try {
            return run(context);
        } catch (DependencyException e) { // the resolver's message names the artifact, the repositories and the fix
            throw new MagicException(e.getMessage(), e);
        }
    }

    private Object run(MagicContext context) {
        JavaSession session = MavenMagics.session(context, "%maven");
        List<String> texts = MavenMagics.words(context, "coordinates");
        List<Artifact> artifacts = new ArrayList<>();
        for (String t : texts) {
            artifacts.add(Coordinates.parse(t));
        }
        ProgressEvents events = new ProgressEvents(context);
        MavenResolver.Resolved resolved;
        try {
            resolved = resolver.get().resolve(artifacts, events);
            events.finish(true);
        } catch (RuntimeException e) {
            events.finish(false);
            throw e;
        }
        List<Path> jars = new ArrayList<>();
        for (Artifact a : resolved.artifacts()) {
            String ext = a.getExtension().toLowerCase(Locale.ROOT);
            if (ext.equals("jar") || ext.equals("zip")) {
                jars.add(a.getPath());
            }
        }
        if (jars.isEmpty()) {
            context.stdout("Nothing added: " + String.join(", ", texts)
                    + " resolved to no jars (a pom-only artifact?)\n");
            return null;
        }
        context.stdout(tracker.add(session, jars).summary() + "\n");
        MavenMagics.requested(texts);
        return null;
    }

    /**
     * Shows a resolution that goes online as a live progress bar: the count of files downloaded, the one
     * now downloading. A resolution from the local repository alone shows nothing (it takes milliseconds).
     */
    static final class ProgressEvents implements MavenResolver.Events {
        private final MagicContext context;
        private Progress progress;
        private String coordinates;
        private long bytes;

        ProgressEvents(MagicContext context) {
            this.context = context;
        }

        @Override
        public synchronized void online(String coords, List<RemoteRepository> repositories) {
            coordinates = coords;
            StringBuilder ids = new StringBuilder();
            for (RemoteRepository r : repositories) {
                ids.append(ids.length() == 0 ? "" : ", ").append(r.getId());
            }
            progress = Progress.start("Resolving " + coords + " from " + ids + "; files downloaded", 0, context::display);
        }

        @Override
        public synchronized void downloading(String file, long size, String repositoryId) {
            if (progress != null) {
                progress.label("Resolving " + coordinates + ": downloading " + file + " ("
                        + MavenResolver.size(size) + ") from " + repositoryId + "; files downloaded");
            }
        }

        @Override
        public synchronized void downloaded(String file, long size, String repositoryId, long millis) {
            bytes += Math.max(0, size);
            if (progress != null) {
                progress.advance().label("Resolving " + coordinates + ": got " + file + "; files downloaded");
            }
        }

        synchronized void finish(boolean ok) {
            if (progress != null) {
                progress.label((ok ? "Resolved " : "Failed to resolve ") + coordinates + ": downloaded "
                        + MavenResolver.size(bytes) + "; files").done();
            }
        }
    }
}
