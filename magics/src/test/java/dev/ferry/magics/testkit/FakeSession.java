package dev.ferry.magics.testkit;

import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one fake {@link JavaSession} of the test kit: records the code it runs (answering with a scripted
 * function) and the class path entries it is given; tests set its variables directly.
 */
public final class FakeSession implements JavaSession {
    public final List<String> ran = new ArrayList<>();
    public final List<Variable> vars = new ArrayList<>();
    public final List<Path> added = new ArrayList<>();
    public Function<String, Object> answer = code -> null;
    private Path dir;

    public FakeSession(Path dir) {
        this.dir = dir;
    }

    /** A compile error as the real session reports one. */
    public static CellFailedException compileError(String msg) {
        return new CellFailedException(msg, null);
    }

    /** Declares a variable as the session would list it. */
    public void set(String name, Object value) {
        vars.add(new Variable(name, value == null ? "Object" : value.getClass().getSimpleName(), value));
    }

    /** The file names of the class path entries added so far. */
    public List<String> names() {
        return added.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Override
    public Object run(String code) {
        ran.add(code);
        return answer.apply(code);
    }

    @Override
    public List<Variable> variables() {
        return vars;
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
        dir = d.toAbsolutePath().normalize();
    }
}
