package dev.ferry.cli;

import picocli.CommandLine.Command;

/** {@code ferry call get|list|cancel}: function calls by id. */
@Command(name = "call", description = "Function calls by id (fc-...).")
final class CallCommand {
}
