package dev.ferry.storage.sql;

import dev.ferry.magics.JavaSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A JavaSession that records the code it is given; tests set its variables directly. */
final class FakeSession implements JavaSession {
    final List<String> ran = new ArrayList<>();
    final List<Variable> vars = new ArrayList<>();
    Function<String, Object> answer = code -> null;
    Path dir;

    FakeSession(Path dir) {
        this.dir = dir;
    }

    void set(String name, Object value) {
        vars.add(new Variable(name, value == null ? "Object" : value.getClass().getSimpleName(), value));
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
        throw new UnsupportedOperationException();
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public void directory(Path d) {
        dir = d;
    }
}
