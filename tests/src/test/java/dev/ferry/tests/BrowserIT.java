package dev.ferry.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * JupyterLab 4 (from a venv) in headless Chromium (playwright-core) runs a Java cell and completes on the Ferry
 * kernel: tests/browser/lab.test.mjs. Missing prerequisites FAIL the test: install/system-deps.sh --browser
 * provides Chromium, the npm packages and the JupyterLab venv.
 */
class BrowserIT {

    @Test
    void jupyterLabRunsACellAndCompletes() throws Exception {
        FerryInstall fi = FerryInstall.get();
        String hint = " (run install/system-deps.sh --browser)";
        Path chromium = Paths.get(System.getenv().getOrDefault("FERRY_CHROMIUM", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), chromium + " missing" + hint);
        String venvEnv = System.getenv("FERRY_LAB_VENV");
        Path venv = venvEnv != null && !venvEnv.isEmpty()
                ? Paths.get(venvEnv)
                : Paths.get(System.getProperty("user.home"), ".cache", "ferry", "lab-venv");
        assertTrue(Files.isExecutable(venv.resolve("bin/jupyter")), "JupyterLab venv missing at " + venv + hint);
        Path browserDir = fi.repo.resolve("tests/browser");
        assertTrue(Files.isRegularFile(browserDir.resolve("node_modules/playwright-core/package.json")),
                "playwright-core is not installed in " + browserDir + hint);

        Map<String, String> env = new HashMap<>(fi.env());
        env.put("FERRY_LAB_VENV", venv.toString());
        env.put("FERRY_CHROMIUM", chromium.toString());
        FerryInstall.run(browserDir, List.of("node", "--test", "lab.test.mjs"), env, Duration.ofMinutes(5),
                "node --test tests/browser/lab.test.mjs");
    }
}
