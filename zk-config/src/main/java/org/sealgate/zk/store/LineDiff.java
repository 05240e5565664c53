package org.sealgate.zk.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified-style line diff (longest common subsequence, two lines of context) for {@code config diff}.
 * Configuration documents are small (bounded by {@code ConfigDocument.MAX_BYTES}), so the quadratic table is fine.
 */
public final class LineDiff {
    private static final int CONTEXT = 2;

    private record Op(char kind, String line, int oldLine, int newLine) {
    }

    private LineDiff() {
    }

    public static String unified(String oldText, String newText, String oldLabel, String newLabel) {
        List<Op> ops = ops(oldText.lines().toList(), newText.lines().toList());
        if (ops.stream().allMatch(op -> op.kind() == ' ')) {
            return "no differences between " + oldLabel + " and " + newLabel + "\n";
        }
        StringBuilder out = new StringBuilder("--- " + oldLabel + "\n+++ " + newLabel + "\n");
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while the next change is within two context windows.
            for (int j = i; j < ops.size() && j <= end + 2 * CONTEXT; j++) {
                if (ops.get(j).kind() != ' ') {
                    end = j;
                }
            }
            int stop = Math.min(ops.size(), end + CONTEXT + 1);
            out.append("@@ -").append(ops.get(start).oldLine()).append(" +").append(ops.get(start).newLine()).append(" @@\n");
            for (Op op : ops.subList(start, stop)) {
                out.append(op.kind()).append(op.line()).append('\n');
            }
            i = stop;
        }
        return out.toString();
    }

    private static List<Op> ops(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i), ++i, ++j));
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Op('-', a.get(i), ++i, j + 1)); // removals first, as diff -u shows them
            } else {
                ops.add(new Op('+', b.get(j), i + 1, ++j));
            }
        }
        return ops;
    }
}
