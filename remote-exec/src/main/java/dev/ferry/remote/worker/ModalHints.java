package dev.ferry.remote.worker;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-line hint for an error about a Modal name that Ferry spells differently or does not have yet:
 * without it the compiler's "cannot find symbol" points nowhere. {@code Function}, {@code FunctionCall} and
 * {@code Function.fromName} are Ferry's; Modal's {@code Function.lookup} / {@code from_name}, {@code Cron},
 * {@code Period} and {@code App} get the Ferry way to say them (docs/apps.md). Every error report passes
 * through {@link #hint}.
 */
final class ModalHints {
    private ModalHints() {}

    /** Modal's names that Ferry lacks or spells otherwise. */
    static final List<String> TYPES = List.of("App", "Cls", "Cron", "Period", "Retries", "Sandbox");

    private static final String TODAY = "to run code in a container today, put it in a %%remote cell (docs/remote.md)";
    private static final Pattern MISSING = Pattern.compile("symbol:\\s+(?:class|variable)\\s+("
            + String.join("|", TYPES) + ")\\b");
    private static final Pattern FERRY_FUNCTION = Pattern.compile(
            "symbol:\\s+method\\s+(?:lookup|from_name)\\b[^\\n]*\\n\\s*location:\\s+class\\s+dev\\.ferry\\.Function\\b");

    /** The hint for an error's text, or null when it is not about a missing Modal name. */
    static String hint(String errorText) {
        if (errorText == null) {
            return null;
        }
        if (FERRY_FUNCTION.matcher(errorText).find()) {
            return "hint: a deployed app's function is Function.fromName(\"app\", \"name\") in Ferry (Modal's"
                    + " Function.from_name); deploy one with %deploy NAME after its %%function cells (docs/apps.md)";
        }
        Matcher m = MISSING.matcher(errorText);
        if (m.find()) {
            return switch (m.group(1)) {
                case "Cron", "Period" -> "hint: " + m.group(1) + " is Modal's; in Ferry a schedule is schedule=\"cron 0 9"
                        + " * * * Europe/Paris\" or schedule=\"every 5m\" on %%function, or dev.ferry.Schedule.cron(...)"
                        + " / Schedule.every(Duration) (docs/apps.md)";
                case "App" -> "hint: App is Modal's, and not in Ferry yet as a type: an app is the functions a notebook"
                        + " deploys with %deploy NAME (or ferry deploy FILE); Function.fromName(app, name) calls one"
                        + " (docs/apps.md)";
                default -> "hint: " + m.group(1) + " is Modal's, and not in Ferry yet; " + TODAY;
            };
        }
        return null;
    }
}
