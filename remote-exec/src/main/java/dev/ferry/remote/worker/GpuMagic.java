package dev.ferry.remote.worker;

import dev.ferry.gpu.Gpu;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicSpec;

import java.util.Map;

/** {@code %gpu}: the GPUs this worker sees through JCuda (in a {@code %%remote} cell: the container's). */
final class GpuMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("gpu", MagicSpec.Kind.LINE)
            .summary("List the GPUs this worker sees (JCuda): name, type, memory, compute capability")
            .details("In a notebook cell: this machine's GPUs. Inside a %%remote cell: the container's.\n"
                    + "Gpu.devices() gives the same as a list; Gpu.require(\"H100\") fails unless they match.")
            .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        String md = Gpu.describe();
        ctx.display(Map.of("text/markdown", md, "text/plain", md));
        return null;
    }
}
