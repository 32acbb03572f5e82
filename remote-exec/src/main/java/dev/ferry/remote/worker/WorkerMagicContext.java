package dev.ferry.remote.worker;

import dev.ferry.magics.JavaSession;
import dev.ferry.magics.KernelHistory;
import dev.ferry.magics.MagicRegistry;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.ParsedArgs;
import dev.ferry.magics.ParsedCell;

import java.util.Map;
import java.util.Optional;

/** A magic's view of the worker: its arguments and body, the cell's output, the Java session. */
final class WorkerMagicContext implements MagicContext {
    private final ParsedCell.Segment segment;
    private final ParsedArgs args;
    private final JavaSession session;
    private final MagicRegistry registry;
    private final KernelHistory history;

    WorkerMagicContext(ParsedCell.Segment segment, ParsedArgs args, JavaSession session, MagicRegistry registry,
            KernelHistory history) {
        this.segment = segment;
        this.args = args;
        this.session = session;
        this.registry = registry;
        this.history = history;
    }

    @Override
    public boolean isCell() {
        return segment.isCell();
    }

    @Override
    public String body() {
        return segment.body() == null ? "" : segment.body();
    }

    @Override
    public ParsedArgs args() {
        return args;
    }

    @Override
    public void stdout(String text) {
        System.out.print(text);
    }

    @Override
    public void stderr(String text) {
        System.err.print(text);
    }

    @Override
    public void display(Map<String, Object> mimeBundle) {
        Displays.show(Displays.bundle(mimeBundle), null, false);
    }

    @Override
    public void display(Map<String, Object> mimeBundle, String displayId, boolean update) {
        Displays.show(Displays.bundle(mimeBundle), displayId, update);
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        for (Object service : new Object[] {session, registry, history}) {
            if (service != null && type.isInstance(service)) {
                return Optional.of(type.cast(service));
            }
        }
        return Optional.empty();
    }
}
