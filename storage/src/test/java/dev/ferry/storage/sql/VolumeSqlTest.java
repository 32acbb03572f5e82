package dev.ferry.storage.sql;

import dev.ferry.spi.FerryEnv;
import dev.ferry.Volume;
import dev.ferry.arrow.Table;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.testkit.FakeSession;
import dev.ferry.magics.testkit.RecordingContext;
import dev.ferry.storage.FerryDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeSqlTest {
    @TempDir
    Path dir;
    FerryEnv before;
    final SqlMagic magic = new SqlMagic();

    @BeforeEach
    void setDataDir() {
        before = FerryEnv.current();
        FerryEnv.install(FerryEnv.current().withProperty(FerryDirs.DATA_DIR_PROPERTY, dir.resolve("data").toString()));
    }

    @AfterEach
    void restore() {
        magic.connections().closeAll();
        FerryEnv.install(before);
    }

    @Test
    void rewritesOnlyVolumeLiterals() {
        Volume v = Volume.fromName("ds", true);
        String abs = v.path().resolve("a/t.parquet").toString();
        assertEquals("SELECT * FROM '" + abs + "' -- 'vol:ds/x'\n WHERE s = 'vol' AND \"vol:ds/y\" = 'it''s'",
                VolumePaths.rewrite("SELECT * FROM 'vol:ds/a/t.parquet' -- 'vol:ds/x'\n"
                        + " WHERE s = 'vol' AND \"vol:ds/y\" = 'it''s'"));
        assertEquals("SELECT 1", VolumePaths.rewrite("SELECT 1"));
        var e = assertThrows(IllegalArgumentException.class, () -> VolumePaths.rewrite("SELECT * FROM 'vol:nope/x.csv'"));
        assertTrue(e.getMessage().contains("Volume 'nope' does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VolumePaths.rewrite("SELECT * FROM 'vol:ds/../../x'"));
    }

    @Test
    void duckdbWritesAndReadsParquetAndCsvInAVolume() throws Exception {
        Volume v = Volume.fromName("ds", true);
        FakeSession s = new FakeSession(dir);
        magic.execute(RecordingContext.cell(magic, "", """
                COPY (SELECT range AS id FROM range(1000)) TO 'vol:ds/t.parquet' (FORMAT PARQUET);
                COPY (SELECT 1 AS a) TO 'vol:ds/sub/x.csv' (HEADER)
                """, s));
        assertTrue(Files.size(v.path().resolve("t.parquet")) > 0);
        try (Table t = (Table) magic.execute(RecordingContext.cell(magic, "",
                "SELECT count(*) AS n FROM 'vol:ds/t.parquet'", s))) {
            assertEquals(1000L, ((Number) t.column("n").get(0)).longValue());
        }
        try (Table t = (Table) magic.execute(RecordingContext.cell(magic, "",
                "SELECT * FROM read_csv('vol:ds/sub/x.csv')", s))) {
            assertEquals(1, t.rowCount());
        }
        var e = assertThrows(MagicException.class, () -> magic.execute(RecordingContext.cell(magic, "",
                "SELECT * FROM 'vol:missing/t.parquet'", s)));
        assertTrue(e.getMessage().contains("Volume 'missing' does not exist"), e.getMessage());
    }
}
