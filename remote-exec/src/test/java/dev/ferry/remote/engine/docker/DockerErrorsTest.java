package dev.ferry.remote.engine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DockerErrorsTest {

    @Test
    void aMissingBaseImageNamesTheCommandThatMakesIt() {
        assertEquals("the base image ferry/base:bookworm-jdk17 is not in the Docker engine; run `install/docker.sh"
                        + " start` on the engine's host: it bootstraps the base image from Debian packages (no registry"
                        + " needed)",
                DockerErrors.missingBase("ferry/base:bookworm-jdk17").getMessage());
    }

    @Test
    void aBaseForAnotherJdkNeedsTheJdkFlag() {
        int major = Runtime.version().feature();
        if (major != 17) {
            assertEquals("install/docker.sh start --jdk " + System.getProperty("java.home"),
                    DockerErrors.baseCommand("ferry/base:bookworm-jdk" + major));
        }
        // a kernel on JDK 25 whose engine has only the JDK 17 base: docker.sh start alone would not make it
        assertEquals(major == 25 ? "install/docker.sh start --jdk " + System.getProperty("java.home")
                        : "install/docker.sh start --jdk <the folder of a JDK 25>",
                DockerErrors.baseCommand("ferry/base:bookworm-jdk25"));
        assertEquals("install/docker.sh start", DockerErrors.baseCommand("ferry/base:bookworm-jdk17"));
    }
}
