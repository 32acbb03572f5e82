package dev.ferry.storage.sql;

import dev.ferry.magics.ArgParser;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.ParsedArgs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A MagicContext that records output and displays and offers the services it is given. */
final class RecordingContext implements MagicContext {
    final StringBuffer out = new StringBuffer();
    final StringBuffer err = new StringBuffer();
    final List<Map<String, Object>> displays = new ArrayList<>();
    private final ParsedArgs args;
    private final String body;
    private final List<Object> services;

    RecordingContext(Magic magic, String args, String body, Object... services) {
        this.args = ArgParser.parse(magic.spec(), args);
        this.body = body;
        this.services = List.of(services);
    }

    @Override
    public boolean isCell() {
        return true;
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
    public void display(Map<String, Object> mimeBundle) {
        displays.add(mimeBundle);
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
