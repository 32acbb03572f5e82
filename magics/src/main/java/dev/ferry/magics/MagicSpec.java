package dev.ferry.magics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A magic's declaration as data: name, kind, one-line summary, arguments and, optionally, free trailing
 * text (the "rest", e.g. the statement of {@code %timeit} or {@code NAME=VALUE} of {@code %env}).
 * Help text, argument errors and completion are all generated from it.
 */
public final class MagicSpec {

    /** How a magic may be invoked. */
    public enum Kind {
        /** {@code %name args} on its own line. */
        LINE,
        /** {@code %%name args} on the first line; the rest of the cell is its body. */
        CELL,
        /** Either. */
        BOTH;

        /** Whether a magic of this kind may be invoked as a cell magic ({@code cell}) or a line magic. */
        public boolean allows(boolean cell) {
            return this == BOTH || (this == CELL) == cell;
        }
    }

    private final String name;
    private final Kind kind;
    private final String summary;
    private final String details;
    private final List<ArgSpec> args;
    private final String restName;
    private final String restHelp;
    private final List<String> aliases;

    private MagicSpec(Builder b) {
        this.name = b.name;
        this.kind = b.kind;
        this.summary = b.summary;
        this.details = b.details;
        this.args = List.copyOf(b.args);
        this.restName = b.restName;
        this.restHelp = b.restHelp;
        this.aliases = List.copyOf(b.aliases);
    }

    /** Starts a declaration; {@code name} is a Java-identifier-like word without the percent signs. */
    public static Builder builder(String name, Kind kind) {
        return new Builder(name, kind);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public String summary() {
        return summary;
    }

    /** Further help paragraphs (examples, notes); empty when none. */
    public String details() {
        return details;
    }

    /** Declared arguments, positional ones in position order. */
    public List<ArgSpec> args() {
        return args;
    }

    /** The declared argument with this name. */
    public Optional<ArgSpec> arg(String argName) {
        return args.stream().filter(a -> a.name().equals(argName)).findFirst();
    }

    /** Whether free trailing text is accepted after the arguments. */
    public boolean acceptsRest() {
        return restName != null;
    }

    /** The name of the trailing text in usage lines (e.g. {@code statement}), or null. */
    public String restName() {
        return restName;
    }

    /** Help for the trailing text, or null. */
    public String restHelp() {
        return restHelp;
    }

    /** Other names this magic answers to (e.g. {@code sh} for {@code bash}). */
    public List<String> aliases() {
        return aliases;
    }

    /** {@code %name} or {@code %%name} as the user writes it ({@code %name} for BOTH). */
    public String displayName() {
        return (kind == Kind.CELL ? "%%" : "%") + name;
    }

    /** {@code %%name} for the cell form, {@code %name} for the line form. */
    public String displayName(boolean cell) {
        return (cell ? "%%" : "%") + name;
    }

    /** The arguments the cell form ({@code cell}) or the line form accepts (see {@link ArgSpec#lineOnly()}). */
    public List<ArgSpec> args(boolean cell) {
        return args.stream().filter(a -> a.usableIn(cell)).toList();
    }

    @Override
    public String toString() {
        return "MagicSpec[" + displayName() + "]";
    }

    /** Builds a {@link MagicSpec}; {@link #build()} checks the declaration is consistent. */
    public static final class Builder {
        private final String name;
        private final Kind kind;
        private String summary = "";
        private String details = "";
        private final List<ArgSpec> args = new ArrayList<>();
        private String restName;
        private String restHelp;
        private final List<String> aliases = new ArrayList<>();

        private Builder(String name, Kind kind) {
            this.name = checkMagicName(name);
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder summary(String text) {
            this.summary = Objects.requireNonNull(text, "text");
            return this;
        }

        public Builder details(String text) {
            this.details = Objects.requireNonNull(text, "text");
            return this;
        }

        public Builder arg(ArgSpec arg) {
            args.add(Objects.requireNonNull(arg, "arg"));
            return this;
        }

        /** Accepts free trailing text, shown as {@code <name>} in usage and read with {@link ParsedArgs#rest()}. */
        public Builder rest(String name, String help) {
            this.restName = Objects.requireNonNull(name, "name");
            this.restHelp = Objects.requireNonNull(help, "help");
            return this;
        }

        public Builder alias(String alias) {
            aliases.add(checkMagicName(alias));
            return this;
        }

        public MagicSpec build() {
            Set<String> names = new HashSet<>();
            Set<Character> shorts = new HashSet<>();
            boolean optionalPositional = false;
            for (ArgSpec a : args) {
                if (!names.add(a.name())) {
                    throw new IllegalArgumentException(name + ": argument declared twice: " + a.name());
                }
                if (a.shortName() != '\0' && !shorts.add(a.shortName())) {
                    throw new IllegalArgumentException(name + ": short option declared twice: -" + a.shortName());
                }
                if (a.isPositional()) {
                    if (a.isRequired() && optionalPositional) {
                        throw new IllegalArgumentException(name + ": required positional " + a.name()
                            + " follows an optional one");
                    }
                    optionalPositional |= !a.isRequired();
                }
            }
            return new MagicSpec(this);
        }

        private static String checkMagicName(String n) {
            Objects.requireNonNull(n, "name");
            if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad magic name: '" + n + "'");
            }
            return n;
        }
    }
}
