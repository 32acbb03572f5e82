package dev.ferry.remote.control;

import dev.ferry.gpu.GpuSpec;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.EngineException;

import java.util.concurrent.TimeUnit;

/** Asks a fresh worker which GPUs it sees (JCuda) and fails clearly when they do not match {@code gpu=}. */
final class GpuCheck {
    private final Worker worker;

    GpuCheck(Worker worker) {
        this.worker = worker;
    }

    void require(GpuSpec spec) throws Exception {
        String code = "dev.ferry.gpu.Gpu.require(\"" + spec.toString().replace("\"", "") + "\").size()";
        WorkerEvent ev = worker.execute(code, 0, false).end(60, TimeUnit.SECONDS);
        if (ev == null) {
            throw new EngineException("the GPU check in the worker did not answer within 60 s");
        }
        if (ev instanceof WorkerEvent.Died d) {
            throw new EngineException("the worker died while checking its GPUs: " + d.death().explain());
        }
        WorkerEvent.Result r = (WorkerEvent.Result) ev;
        if (!r.status().equals("ok")) {
            String why = r.fields().has("evalue") ? r.fields().get("evalue").getAsString() : "unknown";
            throw new EngineException("gpu=" + spec + " cannot be met: " + why);
        }
    }
}
