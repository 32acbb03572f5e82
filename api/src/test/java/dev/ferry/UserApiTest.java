package dev.ferry;

import dev.ferry.spi.UserApi;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UserApiTest {
    @Test
    void theListIsThePackagesPublicTopLevelTypes() throws Exception {
        assertEquals(publicTopLevelTypes(), UserApi.TYPES.stream().sorted().toList(),
                "dev.ferry.spi.UserApi.TYPES must name every public top-level type of dev.ferry (add a new one there)");
    }

    private static List<String> publicTopLevelTypes() throws Exception {
        Path dir = classesDir().resolve("dev/ferry");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .map(n -> "dev.ferry." + n.substring(0, n.length() - ".class".length()))
                    .filter(UserApiTest::isPublic)
                    .sorted().toList();
        }
    }

    private static boolean isPublic(String name) {
        try {
            return Modifier.isPublic(Class.forName(name).getModifiers());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static Path classesDir() throws URISyntaxException {
        return Path.of(Dict.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
