package dev.ferry.magics;

import java.util.List;
import java.util.Map;

/**
 * Registered in src/test/resources/META-INF/test-services, as another module registers its magics in
 * META-INF/services; kept out of META-INF/services so that other modules' tests, which see this module's
 * test classes through its test kit, do not load it.
 */
public class TestMagicProvider implements MagicProvider {

    /**
     * A class loader that shows ServiceLoader only the test provider (META-INF/test-services as
     * META-INF/services): the main provider files (the general magics, %maven, ...) would clash with the test
     * magics' names (time, timeit, bash, writefile).
     */
    static ClassLoader testServicesOnly() {
        return new ClassLoader(TestMagicProvider.class.getClassLoader()) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
                if (name.startsWith("META-INF/services/")) {
                    name = "META-INF/test-services/" + name.substring("META-INF/services/".length());
                }
                return super.getResources(name);
            }
        };
    }

    @Override
    public List<Magic> magics() {
        return List.of(
            new SpecOnly(Specs.REMOTE),
            new SpecOnly(Specs.WRITEFILE),
            new SpecOnly(Specs.TIMEIT),
            new SpecOnly(MagicSpec.builder("time", MagicSpec.Kind.BOTH).summary("Wall and CPU time").build()),
            new SpecOnly(MagicSpec.builder("bash", MagicSpec.Kind.CELL).summary("Run the cell with bash")
                .alias("sh").build()),
            new Echo());
    }

    /** A magic that only declares its spec. */
    static final class SpecOnly implements Magic {
        private final MagicSpec spec;

        SpecOnly(MagicSpec spec) {
            this.spec = spec;
        }

        @Override
        public MagicSpec spec() {
            return spec;
        }

        @Override
        public Object execute(MagicContext context) {
            return null;
        }
    }

    /** Echoes its rest (upper-cased with -u) to stdout, shows it as HTML, and returns its length. */
    static final class Echo implements Magic {
        static final MagicSpec SPEC = MagicSpec.builder("echo", MagicSpec.Kind.LINE)
            .summary("Print the text")
            .arg(ArgSpec.flag("upper").shortName('u').help("upper-case it"))
            .rest("text", "what to print")
            .build();

        @Override
        public MagicSpec spec() {
            return SPEC;
        }

        @Override
        public Object execute(MagicContext context) {
            String text = context.args().rest();
            if (context.args().getBool("upper")) {
                text = text.toUpperCase(java.util.Locale.ROOT);
            }
            context.stdout(text);
            context.display(Map.of("text/html", "<b>" + text + "</b>"));
            return text.length();
        }
    }
}
