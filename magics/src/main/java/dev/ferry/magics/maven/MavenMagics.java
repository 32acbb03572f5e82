package dev.ferry.magics.maven;

import dev.ferry.deps.MavenResolver;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicProvider;

import java.util.List;
import java.util.function.Supplier;

/**
 * Dependencies at run time: {@code %maven}, {@code %mavenRepo} and {@code %classpath}. One instance per
 * worker (the registry loads providers once); the three magics share the resolver (made on first use)
 * and the record of what each session already has.
 */
public final class MavenMagics implements MagicProvider {
    private final Supplier<MavenResolver> resolver;
    private final ClasspathTracker tracker = new ClasspathTracker();

    public MavenMagics() {
        this(new Supplier<>() {
            private MavenResolver made;

            @Override
            public synchronized MavenResolver get() {
                if (made == null) {
                    made = MavenResolver.forUser();
                }
                return made;
            }
        });
    }

    MavenMagics(MavenResolver resolver) {
        this(() -> resolver);
    }

    private MavenMagics(Supplier<MavenResolver> resolver) {
        this.resolver = resolver;
    }

    @Override
    public List<Magic> magics() {
        return List.of(new MavenMagic(resolver, tracker), new MavenRepoMagic(resolver),
                new ClasspathMagic(tracker));
    }

    /**
     * Loads the classes of a first {@code %maven} without touching the user's local repository or the
     * network; for the worker's class-data-sharing training run ({@code WorkerMain --train}), so the
     * first {@code %maven} in a session does not pay for loading Maven Resolver.
     */
    public static String train() {
        return MavenResolver.train();
    }

    /** The first positional argument and every further word of the line: the items to add. */
    static java.util.List<String> words(MagicContext context, String firstArg) {
        java.util.List<String> items = new java.util.ArrayList<>();
        items.add(context.args().getString(firstArg));
        String rest = context.args().rest();
        if (rest != null && !rest.isBlank()) {
            items.addAll(java.util.List.of(rest.trim().split("\\s+")));
        }
        return items;
    }

    static JavaSession session(MagicContext context, String magic) {
        return JavaSession.of(context, magic);
    }

    private static final List<String> REQUESTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static void requested(List<String> coordinates) {
        coordinates.stream().filter(t -> !REQUESTED.contains(t)).forEach(REQUESTED::add);
    }

    /**
     * The coordinates this session's {@code %maven} resolved, in order: what a deployed {@code %%web} app's worker
     * resolves again ({@code WebApp.maven}).
     */
    public static List<String> requested() {
        return List.copyOf(REQUESTED);
    }
}
