package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

class FerryDirsTest {
    @Test
    void propertyThenEnvironmentThenXdgThenHome() {
        Map<String, String> env = Map.of("FERRY_DATA_DIR", "/env/data", "XDG_DATA_HOME", "/xdg/data",
                "FERRY_CONFIG_DIR", "/env/conf", "XDG_CONFIG_HOME", "/xdg/conf");
        Map<String, String> props = Map.of(FerryDirs.DATA_DIR_PROPERTY, "/prop/data",
                FerryDirs.CONFIG_DIR_PROPERTY, "/prop/conf");
        assertEquals(new FerryDirs(Path.of("/prop/data"), Path.of("/prop/conf")), FerryDirs.from(env, props, "/home/u"));
        assertEquals(new FerryDirs(Path.of("/env/data"), Path.of("/env/conf")), FerryDirs.from(env, Map.of(), "/home/u"));
        assertEquals(new FerryDirs(Path.of("/xdg/data/ferry"), Path.of("/xdg/conf/ferry")),
                FerryDirs.from(Map.of("XDG_DATA_HOME", "/xdg/data", "XDG_CONFIG_HOME", "/xdg/conf"), Map.of(), "/home/u"));
        assertEquals(new FerryDirs(Path.of("/home/u/.local/share/ferry"), Path.of("/home/u/.config/ferry")),
                FerryDirs.from(Map.of(), Map.of(), "/home/u"));
    }

    @Test
    void blankValuesDoNotCountAndRelativeOnesAreMadeAbsolute() {
        FerryDirs d = FerryDirs.from(Map.of("FERRY_DATA_DIR", "  ", "XDG_DATA_HOME", ""), Map.of(), "/home/u");
        assertEquals(Path.of("/home/u/.local/share/ferry"), d.data());
        assertEquals(Path.of("rel").toAbsolutePath(), FerryDirs.from(Map.of("FERRY_DATA_DIR", "rel"), Map.of(), "/h").data());
    }
}
