package dev.ferry.remote.worker;

import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;

import java.nio.file.Path;
import java.util.List;

/** The Java session as magics see it: runs code like a cell, lists variables, extends the class path. */
final class WorkerJavaSession implements JavaSession {
    private final JShellHost host;
    private volatile int cellNumber;
    private volatile Path directory = Path.of("").toAbsolutePath();

    WorkerJavaSession(JShellHost host) {
        this.host = host;
    }

    int cellNumber() {
        return cellNumber;
    }

    /** The notebook's imports, types and methods, for a remote cell ({@link JShellHost#declarations()}). */
    List<String> declarations() {
        return host.declarations();
    }

    /** The snippets {@code code} would make, not run ({@link JShellHost#parse}). */
    List<jdk.jshell.Snippet> parse(String code) {
        return host.parse(code);
    }

    void cell(int n) {
        cellNumber = n;
    }

    @Override
    public Object run(String code) {
        JShellHost.JavaOutcome o = host.runJava(code, cellNumber, 2); // a cell magic's body starts on line 2
        if (!o.ok()) {
            throw new CellFailedException(o.error().get("evalue").getAsString(), o.error());
        }
        return o.hasValue() ? o.valueOrText() : null;
    }

    @Override
    public List<Variable> variables() {
        return host.variableValues();
    }

    @Override
    public void addToClasspath(Path path) {
        host.addToClasspath(path.toAbsolutePath().toString());
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public void directory(Path dir) {
        directory = dir.toAbsolutePath().normalize();
    }
}
