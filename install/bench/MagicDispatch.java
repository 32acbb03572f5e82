import dev.ferry.magics.ArgParser;
import dev.ferry.magics.MagicRegistry;
import dev.ferry.magics.MagicSyntax;
import dev.ferry.magics.ParsedCell;

/**
 * What magic dispatch costs a cell: parse the cell, look each magic up, parse its arguments (what the
 * worker does before running anything), against the same for a cell without magics (the baseline).
 * Run: java -cp "kernel/target/lib/*" install/bench/MagicDispatch.java
 */
public class MagicDispatch {
    static final String PLAIN = "int a = 1;\nint b = a + 1;\nSystem.out.println(a + b);\nb";
    static final String LINE = "int a = 1;\n%env FERRY_BENCH=1\nint b = a + 1;\n%time System.out.println(a + b)\nb";
    static final String CELL = "%%bash --out OUT\necho hello\nls -la\n";

    static long sink;

    public static void main(String[] args) {
        MagicRegistry registry = MagicRegistry.load(MagicDispatch.class.getClassLoader());
        String[] names = {"plain Java cell (baseline)", "two line magics", "cell magic with arguments"};
        String[] cells = {PLAIN, LINE, CELL};
        double[] ns = new double[3];
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT
            for (int c = 0; c < cells.length; c++) {
                int n = round == 0 ? 20_000 : 100_000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += dispatch(registry, cells[c]);
                }
                ns[c] = (System.nanoTime() - t0) / (double) n;
            }
        }
        System.out.printf("| %-28s | %12s | %14s |%n", "cell", "dispatch", "over baseline");
        System.out.printf("|%s|%s|%s|%n", "-".repeat(30), "-".repeat(14), "-".repeat(16));
        for (int c = 0; c < cells.length; c++) {
            System.out.printf("| %-28s | %9.2f µs | %11.2f µs |%n", names[c], ns[c] / 1000, (ns[c] - ns[0]) / 1000);
        }
        double worst = Math.max(ns[1], ns[2]) - ns[0];
        System.out.printf("%nmagic dispatch adds at most %.4f ms to a cell (target <= 0.5 ms): %s%n",
                worst / 1e6, worst / 1e6 <= 0.5 ? "PASS" : "MISS");
    }

    static int dispatch(MagicRegistry registry, String cell) {
        ParsedCell parsed = MagicSyntax.parse(cell);
        int k = 0;
        for (ParsedCell.Segment s : parsed.segments()) {
            if (s.isMagic()) {
                k += ArgParser.parse(registry.lookup(s).spec(), s.args()).spec().args().size();
            } else {
                k += s.text().length();
            }
        }
        return k;
    }
}
