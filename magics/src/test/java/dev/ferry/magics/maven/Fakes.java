package dev.ferry.magics.maven;

import dev.ferry.magics.ArgParser;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.ParsedArgs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake Java session (records what was added to the class path) and a fake magic context. */
final class Fakes {
    private Fakes() {
    }

    static final class Session implements JavaSession {
        final List<Path> added = new ArrayList<>();
        Path dir;

        Session(Path dir) {
            this.dir = dir;
        }

        @Override
        public Object run(String code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Variable> variables() {
            return List.of();
        }

        @Override
        public void addToClasspath(Path path) {
            added.add(path);
        }

        @Override
        public Path directory() {
            return dir;
        }

        @Override
        public void directory(Path d) {
            dir = d;
        }

        List<String> names() {
            return added.stream().map(p -> p.getFileName().toString()).toList();
        }
    }

    static final class Context implements MagicContext {
        final ParsedArgs args;
        final JavaSession session;
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        final List<Map<String, Object>> displays = new ArrayList<>();
        final List<Boolean> updates = new ArrayList<>();

        Context(ParsedArgs args, JavaSession session) {
            this.args = args;
            this.session = session;
        }

        @Override
        public boolean isCell() {
            return false;
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public ParsedArgs args() {
            return args;
        }

        @Override
        public synchronized void stdout(String text) {
            out.append(text);
        }

        @Override
        public synchronized void stderr(String text) {
            err.append(text);
        }

        @Override
        public synchronized void display(Map<String, Object> bundle) {
            display(bundle, null, false);
        }

        @Override
        public synchronized void display(Map<String, Object> bundle, String id, boolean update) {
            displays.add(bundle);
            updates.add(update);
        }

        @Override
        public <T> Optional<T> service(Class<T> type) {
            return type.isInstance(session) ? Optional.of(type.cast(session)) : Optional.empty();
        }
    }

    /** Runs a magic as the worker would: parse the argument line against its spec, then execute. */
    static Context run(Magic magic, String argLine, JavaSession session) throws Exception {
        Context c = new Context(ArgParser.parse(magic.spec(), argLine), session);
        magic.execute(c);
        return c;
    }
}
