package dev.ferry.magics;

import static dev.ferry.magics.ArgSpec.Type.BOOL;
import static dev.ferry.magics.ArgSpec.Type.DOUBLE;
import static dev.ferry.magics.ArgSpec.Type.INT;
import static dev.ferry.magics.ArgSpec.Type.KEY_VALUES;
import static dev.ferry.magics.ArgSpec.Type.LIST;
import static dev.ferry.magics.ArgSpec.Type.LONG;
import static dev.ferry.magics.ArgSpec.Type.STRING;

/** Realistic specs shared by the tests. */
final class Specs {
    private Specs() {
    }

    static final MagicSpec REMOTE = MagicSpec.builder("remote", MagicSpec.Kind.CELL)
        .summary("Run the cell in a container")
        .arg(ArgSpec.keyword("gpu", STRING).help("GPU spec").example("H100"))
        .arg(ArgSpec.keyword("cpu", INT).help("CPU cores").defaultValue("2").range(1, 256))
        .arg(ArgSpec.keyword("memory", INT).help("memory limit in MiB").example("32768"))
        .arg(ArgSpec.keyword("timeout", INT).help("seconds before the cell is stopped").defaultValue("600"))
        .arg(ArgSpec.keyword("engine", STRING).help("where to run").allowed("process", "docker")
            .defaultValue("process"))
        .arg(ArgSpec.keyword("session", STRING).help("keep a named session alive"))
        .arg(ArgSpec.keyword("in", LIST).help("variables sent to the container").example("df,model"))
        .arg(ArgSpec.keyword("out", STRING).help("variable brought back"))
        .arg(ArgSpec.keyword("env", KEY_VALUES).help("environment variables"))
        .arg(ArgSpec.keyword("network", STRING).help("network mode").example("none"))
        .build();

    static final MagicSpec WRITEFILE = MagicSpec.builder("writefile", MagicSpec.Kind.CELL)
        .summary("Write the cell body to a file")
        .arg(ArgSpec.flag("append").shortName('a').help("append instead of overwriting"))
        .arg(ArgSpec.positional("path", STRING).required().help("file to write").example("Hello.java"))
        .build();

    static final MagicSpec TIMEIT = MagicSpec.builder("timeit", MagicSpec.Kind.BOTH)
        .summary("Time a statement, repeatedly")
        .arg(ArgSpec.keyword("number", INT).shortName('n').help("loops per run").range(1, 1_000_000_000))
        .arg(ArgSpec.keyword("repeat", INT).shortName('r').help("runs").defaultValue("7").range(1, 1000))
        .arg(ArgSpec.flag("quiet").shortName('q').help("print nothing"))
        .rest("statement", "Java statement to time")
        .build();

    static final MagicSpec ENV = MagicSpec.builder("env", MagicSpec.Kind.LINE)
        .summary("Show or set environment variables")
        .rest("assignment", "NAME, NAME=VALUE, or nothing to list all")
        .build();

    static final MagicSpec TYPES = MagicSpec.builder("types", MagicSpec.Kind.LINE)
        .summary("Every type")
        .arg(ArgSpec.keyword("s", STRING))
        .arg(ArgSpec.keyword("i", INT))
        .arg(ArgSpec.keyword("l", LONG))
        .arg(ArgSpec.keyword("d", DOUBLE))
        .arg(ArgSpec.keyword("b", BOOL))
        .arg(ArgSpec.flag("f").shortName('f'))
        .arg(ArgSpec.keyword("list", LIST))
        .arg(ArgSpec.keyword("kv", KEY_VALUES))
        .arg(ArgSpec.keyword("mode", STRING).allowed("fast", "slow"))
        .build();

    static final MagicSpec CAPTURE = MagicSpec.builder("capture", MagicSpec.Kind.CELL)
        .summary("Capture the cell's output")
        .arg(ArgSpec.positional("name", STRING).help("variable to hold the output"))
        .arg(ArgSpec.flag("no-stderr").help("do not capture stderr"))
        .build();
}
