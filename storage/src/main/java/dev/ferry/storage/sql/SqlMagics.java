package dev.ferry.storage.sql;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicProvider;

import java.util.List;

/** Registers {@code %%sql} with the magic registry (META-INF/services). */
public final class SqlMagics implements MagicProvider {
    public SqlMagics() {
    }

    @Override
    public List<Magic> magics() {
        return List.of(new SqlMagic());
    }
}
