package dev.ferry.magics.testkit;

import dev.ferry.magics.ArgParser;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.ParsedArgs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one fake {@link MagicContext} of the test kit (shared through ferry-magics' test jar): records
 * stdout, stderr and displays (with their display ids and whether each was an update), and offers the
 * services it is given.
 */
public final class RecordingContext implements MagicContext {
    public final StringBuffer out = new StringBuffer();
    public final StringBuffer err = new StringBuffer();
    public final List<Map<String, Object>> displays = new ArrayList<>();
    public final List<String> displayIds = new ArrayList<>();
    public final List<Boolean> updates = new ArrayList<>();
    private final ParsedArgs args;
    private final String body;
    private final boolean cell;
    private final List<Object> services;

    public RecordingContext(ParsedArgs args, String body, boolean cell, Object... services) {
        this.args = args;
        this.body = body;
        this.cell = cell;
        this.services = List.of(services);
    }

    public RecordingContext(Magic magic, String args, String body, boolean cell, Object... services) {
        this(ArgParser.parse(magic.spec(), args), body, cell, services);
    }

    /** A line magic's context: the argument line parsed against the magic's spec. */
    public static RecordingContext line(Magic magic, String args, Object... services) {
        return new RecordingContext(magic, args, "", false, services);
    }

    /** A cell magic's context. */
    public static RecordingContext cell(Magic magic, String args, String body, Object... services) {
        return new RecordingContext(magic, args, body, true, services);
    }

    /** Runs a line magic as the worker would: parse the argument line against its spec, then execute. */
    public static RecordingContext run(Magic magic, String argLine, Object... services) throws Exception {
        RecordingContext c = line(magic, argLine, services);
        magic.execute(c);
        return c;
    }

    @Override
    public boolean isCell() {
        return cell;
    }

    @Override
    public String body() {
        return body;
    }

    @Override
    public ParsedArgs args() {
        return args;
    }

    @Override
    public void stdout(String text) {
        out.append(text);
    }

    @Override
    public void stderr(String text) {
        err.append(text);
    }

    @Override
    public synchronized void display(Map<String, Object> mimeBundle) {
        display(mimeBundle, null, false);
    }

    @Override
    public synchronized void display(Map<String, Object> mimeBundle, String id, boolean update) {
        displays.add(mimeBundle);
        displayIds.add(id);
        updates.add(update);
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        for (Object s : services) {
            if (type.isInstance(s)) {
                return Optional.of(type.cast(s));
            }
        }
        return Optional.empty();
    }
}
