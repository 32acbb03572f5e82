package dev.ferry.kernel;

/** ANSI styling for tracebacks (Jupyter frontends render it). */
final class ErrorText {
    private ErrorText() {}

    static String red(String s) {
        return "\u001b[0;31m" + s + "\u001b[0m";
    }
}
