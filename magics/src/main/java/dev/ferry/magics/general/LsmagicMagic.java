package dev.ferry.magics.general;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicSpec;

/** {@code %lsmagic}: every magic with its one-line help. */
final class LsmagicMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("lsmagic", MagicSpec.Kind.LINE)
        .summary("List all magics with one-line help").build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        ctx.stdout(Common.registry(ctx, "%lsmagic").listing());
        return null;
    }
}
