package dev.ferry.magics.maven;

import dev.ferry.deps.DependencyException;
import dev.ferry.deps.MavenResolver;
import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import org.eclipse.aether.repository.RemoteRepository;

import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code %mavenRepo ID URL}: adds a remote repository for {@code %maven}; without arguments, lists them. */
final class MavenRepoMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("mavenRepo", MagicSpec.Kind.LINE)
            .summary("Add a Maven repository for %maven (no arguments: list them)")
            .arg(ArgSpec.positional("id", ArgSpec.Type.STRING)
                    .help("a short name for the repository").example("jitpack"))
            .arg(ArgSpec.positional("url", ArgSpec.Type.STRING)
                    .help("the repository's http, https or file URL").example("https://jitpack.io/"))
            .details("""
                    The repository is searched after those added before it, Maven Central first. Adding an \
                    id again replaces its URL. Repositories last for the session.

                    Examples:
                      %mavenRepo jitpack https://jitpack.io/
                      %mavenRepo local file:///home/me/repo/
                      %mavenRepo""")
            .build();

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final Supplier<MavenResolver> resolver;

    MavenRepoMagic(Supplier<MavenResolver> resolver) {
        this.resolver = resolver;
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
        String id = context.args().getString("id");
        String url = context.args().getString("url");
        MavenResolver r = resolver.get();
        if (id == null) {
            context.stdout("%maven looks in: " + MavenResolver.describe(r.repositories())
                    + "\n(local repository: " + r.localRepository() + ")\n");
            return null;
        }
        if (url == null) {
            throw new MagicException("%mavenRepo " + id + " needs a URL: write %mavenRepo ID URL, "
                    + "e.g. %mavenRepo jitpack https://jitpack.io/");
        }
        if (!ID.matcher(id).matches()) {
            throw new MagicException("%mavenRepo: '" + id + "' is not a valid repository id: use letters, digits, "
                    + "'.', '-' and '_', e.g. jitpack");
        }
        RemoteRepository added = MavenResolver.repository(id, MavenResolver.checkUrl(url));
        RemoteRepository old = r.addRepository(added);
        if (old != null) {
            context.stdout("Replaced repository " + id + " (" + old.getUrl() + " -> " + added.getUrl() + ")\n");
        } else {
            context.stdout("Added repository " + id + " (" + added.getUrl() + "); %maven looks in: "
                    + MavenResolver.describe(r.repositories()) + "\n");
        }
        return null;
    }
}
