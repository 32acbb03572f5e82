package dev.ferry.remote.engine.docker;

import dev.ferry.Image;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageBuilderTest {
    @Test
    void theStepCountIsDockersCountOfInstructions() {
        Image img = Image.debianSlim(17, true).runCommands("echo a && \\\n    echo b");
        // FROM, the JDK's apt layer, the RUN: Docker says "Step n/3"
        assertEquals(3, ImageBuilder.steps(img.render().dockerfile()));
        assertEquals(1, ImageBuilder.steps(Image.debianSlim(25, false).dockerfile())); // a comment before FROM
        assertEquals(2, ImageBuilder.steps("# syntax\nFROM x\n\n# note\nRUN a \\\n  b \\\n  c\n"));
        // the build's labels (dev.ferry=image) are one more step at the end: "Step 2/3" for FROM + RUN
        assertEquals(3, ImageBuilder.buildSteps("FROM x\nRUN a\n"));
    }

    @Test
    void aPipStepWithoutPythonSaysWhatToAdd() {
        Image img = Image.fromRegistry("eclipse-temurin:17-jdk").pipInstall("numpy");
        String m = ImageBuilder.failure(img.render(), "The command returned a non-zero code: 127",
                List.of("Step 2/2 : RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir numpy",
                        "/bin/sh: 1: python3: not found"));
        assertTrue(m.contains("add .aptInstall(\"python3\", \"python3-pip\") before pipInstall"), m);
        String other = ImageBuilder.failure(img.render(), "code: 7", List.of("Step 2/2 : RUN exit 7"));
        assertFalse(other.contains("python3"), other);
    }
}
