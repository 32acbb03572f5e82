package dev.ferry.magics.general;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicSpec;

/** {@code %pwd}: the session's working directory, as the cell's result. */
final class PwdMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("pwd", MagicSpec.Kind.LINE)
        .summary("The session's working directory (the cell's result)").build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        return Common.session(ctx, "%pwd").directory().toString();
    }
}
