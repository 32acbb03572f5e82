package dev.ferry.remote.worker;

import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.PersistentSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a change to a declaration did to the rest of the session, in words. JShell recompiles what
 * depends on a redefined class, method or a new import (events with a {@code causeSnippet}): a variable
 * whose type changed is reset to its default value, one that JShell cannot keep is dropped, and a
 * dependent declaration may stop compiling. JShell says nothing about it; these notices do.
 */
final class UpdateNotices {
    private UpdateNotices() {}

    /**
     * One line per variable reset or dropped (and per declaration that stopped compiling) by the events
     * of one evaluation, by what it is about ({@link #describe}: "variable c"). Rebinds the live value of
     * each updated variable to its new holder class.
     */
    static Map<String, String> of(JShell shell, List<SnippetEvent> events, CapturingExecutionControl control,
            Map<String, ErrorReport.Origin> origins) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SnippetEvent ev : events) {
            Snippet s = ev.snippet();
            Snippet cause = ev.causeSnippet();
            if (cause == null || s.id().equals(cause.id())) {
                continue; // the evaluated snippet itself, or the old version of what it replaced
            }
            String why = changed(cause);
            String rerun = rerun(origins.get(s.id()));
            if (s instanceof VarSnippet v) {
                String var = "variable " + v.name() + " (" + v.typeName() + ")";
                Object old = control.valueOf(v.name());
                if (ev.status().isDefined()) {
                    String now = shell.varValue(v); // reads the new holder: the live value follows it
                    Object current = control.valueOf(v.name());
                    boolean lost = old != CapturingExecutionControl.NO_VALUE && old != current
                            && !Objects.equals(old, current);
                    if (lost) {
                        out.put(describe(s), why + ": " + var + " was reset to " + now + "; " + rerun);
                    }
                } else {
                    control.forget(v.name());
                    out.put(describe(s), why + ": " + var + " was dropped; " + rerun);
                }
            } else if ((s instanceof TypeDeclSnippet || s instanceof MethodSnippet) && !ev.status().isDefined()
                    && ev.previousStatus().isDefined()) {
                out.put(describe(s), why + ": " + describe(s) + " no longer compiles and cannot be used; fix it and "
                        + rerun);
            }
        }
        return out;
    }

    private static String changed(Snippet cause) {
        if (cause instanceof ImportSnippet) {
            return "after " + cause.source().strip();
        }
        return describe(cause) + " changed";
    }

    private static String rerun(ErrorReport.Origin origin) {
        return origin != null && origin.cell() > 0
                ? "re-run the cell that defines it (In [" + origin.cell() + "])"
                : "re-run the cell that defines it";
    }

    /** "class Counter", "record P", "method twice", ... */
    static String describe(Snippet s) {
        String name = s instanceof PersistentSnippet p ? p.name() : s.source().strip();
        String kind = switch (s.subKind()) {
            case CLASS_SUBKIND -> "class";
            case INTERFACE_SUBKIND -> "interface";
            case ENUM_SUBKIND -> "enum";
            case ANNOTATION_TYPE_SUBKIND -> "@interface";
            case RECORD_SUBKIND -> "record";
            case METHOD_SUBKIND -> "method";
            default -> s.kind() == Snippet.Kind.VAR ? "variable" : s.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
        return kind + " " + name;
    }
}
