package dev.ferry.magics.general;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicProvider;

import java.util.List;

/** The general magics, with IPython's behaviour where IPython has the magic (docs/magics.md). */
public final class GeneralMagics implements MagicProvider {
    @Override
    public List<Magic> magics() {
        return List.of(
            new TimeMagic(),
            new TimeitMagic(),
            new ShellMagic("bash", "/bin/bash"),
            new ShellMagic("sh", "/bin/sh"),
            new WritefileMagic(),
            new EnvMagic(),
            DisplayMagic.html(),
            DisplayMagic.markdown(),
            DisplayMagic.javascript(),
            new WhoMagic(false),
            new WhoMagic(true),
            new LoadMagic(),
            new CdMagic(),
            new PwdMagic(),
            new CaptureMagic(),
            new LsmagicMagic(),
            new HelpMagic(),
            new HistoryMagic());
    }
}
