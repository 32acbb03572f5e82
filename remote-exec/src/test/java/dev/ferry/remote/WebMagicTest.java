package dev.ferry.remote;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.ferry.remote.WorkerProcessTest.run;
import static dev.ferry.remote.WorkerSessionTest.errorText;
import static dev.ferry.remote.WorkerSessionTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %%web} in a real worker: it needs Javalin, checks the cell's value, and declares the app for %deploy. */
class WebMagicTest {
    static Worker worker;

    @BeforeAll
    static void start() throws Exception {
        worker = Worker.start(WorkerProcessTest.launch(), e -> {});
        worker.ready().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Test
    void aWebCellNeedsJavalinThenDeclaresItsApp() throws Exception {
        String missing = errorText(run(worker, "%%web name=api\nio.javalin.Javalin.create()"));
        assertTrue(missing.contains("%%web needs Javalin, and it is not on the class path: run %maven io.javalin:javalin:7.2.3"), missing);

        assertEquals("ok", run(worker, "%maven io.javalin:javalin:7.2.3").result().get("status").getAsString());
        String notAnApp = errorText(run(worker, "%%web name=api\n\"hello\""));
        assertTrue(notAnApp.contains("a %%web cell's value must be the io.javalin.Javalin app it builds")
                && notAnApp.contains("this cell's value is a java.lang.String"), notAnApp);
        String badName = errorText(run(worker, "%%web name=My_App\nio.javalin.Javalin.create()"));
        assertTrue(badName.contains("name=My_App cannot be part of a URL"), badName);

        run(worker, "String greeting() { return \"hi\"; }");
        var ok = run(worker, "%%web name=api auth=true\nio.javalin.Javalin.create(config -> config.routes.get(\"/\", ctx -> ctx.result(greeting())))");
        assertEquals("ok", ok.result().get("status").getAsString(), ok.result().toString());
        String declared = text(run(worker, "var d = dev.ferry.remote.worker.WebApps.declared().get(0);\n"
                + "d.name() + \" \" + d.requiresAuth() + \" \" + d.maven() + \" \" + d.declarations().stream().anyMatch(s -> s.contains(\"greeting\"))"
                + " + \" \" + d.source().startsWith(\"io.javalin.Javalin.create\")"));
        assertEquals("api true [io.javalin:javalin:7.2.3] true true", declared);
    }
}
