package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicSpec;

/** {@code %help NAME}: the full help of a magic (the same as {@code %NAME?}). */
final class HelpMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("help", MagicSpec.Kind.LINE)
        .summary("Full help of a magic (same as %name?)")
        .arg(ArgSpec.positional("name", ArgSpec.Type.STRING).required().help("the magic, with or without %")
            .example("timeit"))
        .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        String text = Common.registry(ctx, "%help").help(ctx.args().getString("name"));
        ctx.stdout(text.endsWith("\n") ? text : text + "\n");
        return null;
    }
}
