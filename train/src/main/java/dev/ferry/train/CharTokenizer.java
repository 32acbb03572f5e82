package dev.ferry.train;

/**
 * A fixed character vocabulary: tab, newline and printable ASCII (32..126), 97 ids. Every text maps into
 * the same ids, so a model pretrained on one corpus can be fine-tuned on another. Other characters are
 * dropped by {@link #encode}.
 */
public final class CharTokenizer {

    public static final int VOCAB = 2 + 95;

    public int vocabSize() {
        return VOCAB;
    }

    static int id(char ch) {
        if (ch == '\t') return 0;
        if (ch == '\n') return 1;
        if (ch >= 32 && ch <= 126) return 2 + ch - 32;
        return -1;
    }

    public int[] encode(CharSequence text) {
        int[] out = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\r') continue;
            int id = id(ch);
            if (id >= 0) out[n++] = id;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= VOCAB) throw new IllegalArgumentException("token " + id + " outside vocab " + VOCAB);
            sb.append(id == 0 ? '\t' : id == 1 ? '\n' : (char) (id - 2 + 32));
        }
        return sb.toString();
    }
}
