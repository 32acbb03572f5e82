package dev.ferry.remote.worker;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-line hint for an error about a Modal name that Ferry does not have yet (apps, deployed
 * functions, schedules, {@code %deploy}): without it the compiler's "cannot find symbol" points nowhere.
 * {@code Function} and {@code FunctionCall} are Ferry's ({@code %%function}), but {@code Function.lookup(...)}
 * of a deployed app is not. Every error report passes through {@link #hint}.
 */
final class ModalHints {
    private ModalHints() {}

    /** Modal's names for what Ferry's roadmap has (functions, apps, schedules), absent today. */
    static final List<String> TYPES = List.of("App", "Cls", "Cron", "Period",
            "Retries", "Sandbox");

    /** Modal commands that would be magics: deploying and serving apps. */
    static final List<String> MAGICS = List.of("deploy", "serve");

    private static final String TODAY = "to run code in a container today, put it in a %%remote cell (docs/remote.md)";
    private static final Pattern MISSING = Pattern.compile("symbol:\\s+(?:class|variable)\\s+("
            + String.join("|", TYPES) + ")\\b");
    private static final Pattern FERRY_FUNCTION = Pattern.compile(
            "symbol:\\s+method\\s+(?:lookup|fromName|from_name)\\b[^\\n]*\\n\\s*location:\\s+class\\s+dev\\.ferry\\.Function\\b");
    private static final Pattern MAGIC = Pattern.compile("unknown magic %%?(" + String.join("|", MAGICS) + ")\\b");

    /** The hint for an error's text, or null when it is not about a missing Modal name. */
    static String hint(String errorText) {
        if (errorText == null) {
            return null;
        }
        Matcher m = MAGIC.matcher(errorText);
        if (m.find()) {
            return "hint: %" + m.group(1) + " (Modal's `modal " + m.group(1) + "`) is not in Ferry yet: apps and"
                    + " functions are on the roadmap; " + TODAY;
        }
        if (FERRY_FUNCTION.matcher(errorText).find()) {
            return "hint: looking up a deployed app's Function (Modal's Function.from_name) is not in Ferry yet:"
                    + " declare the function in this notebook with a %%function cell (docs/functions.md)";
        }
        m = MISSING.matcher(errorText);
        if (m.find()) {
            return "hint: " + m.group(1) + " is Modal's, and not in Ferry yet: apps, functions and schedules are"
                    + " on the roadmap; " + TODAY;
        }
        return null;
    }
}
