package dev.ferry.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Installs the kernel with install/install.sh and runs the pytest suite in tests/python, which drives it with
 * real Jupyter clients: jupyter_client (KernelManager/BlockingKernelClient), nbconvert/nbclient and jupyter console.
 * Set {@code -Dferry.pytest.args="-k interrupt"} to select tests.
 */
class JupyterClientsIT {

    @Test
    void pytestSuitePassesAgainstTheInstalledKernel() throws Exception {
        FerryInstall fi = FerryInstall.get();
        Path python = Paths.get("/usr/bin/python3");
        assertTrue(Files.isExecutable(python), "/usr/bin/python3 missing: run install/system-deps.sh");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                "-o", "console_output_style=classic", "-rfEs", "tests/python"));
        String extra = System.getProperty("ferry.pytest.args", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        FerryInstall.run(fi.repo, cmd, fi.env(), Duration.ofMinutes(25), "pytest tests/python");
    }
}
