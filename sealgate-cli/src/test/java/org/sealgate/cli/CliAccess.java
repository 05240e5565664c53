package org.sealgate.cli;

import java.io.PrintStream;
import java.util.List;

/** For system tests in other packages: CLI commands as {@code ./sealgate} runs them, output captured. */
public final class CliAccess {
    private CliAccess() {
    }

    /** {@code sealgate node drain|resume ...}; returns the exit status. */
    public static int node(List<String> args, PrintStream out) throws Exception {
        return NodeDrainCommand.run(args, out, out);
    }

    /** {@code sealgate mail ...}; returns the exit status. */
    public static int mail(List<String> args, PrintStream out, PrintStream err) throws Exception {
        return MailCommand.run(args, out, err);
    }
}
