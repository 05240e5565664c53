package org.sealgate.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.sealgate.node.NodeStartException;

/** Entry point of {@code ./sealgate}: {@code demo}, {@code node}, {@code keys ...}, {@code config ...}, {@code cluster ...}, {@code vip ...}. */
public final class SealgateCli {
    private SealgateCli() {
    }

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        boolean verbose = all.remove("--verbose");
        if (all.isEmpty() || all.get(0).equals("help")) {
            System.err.print(Help.overview());
            System.exit(all.isEmpty() ? 2 : 0);
        }
        String command = all.get(0);
        if (all.contains("--help") || all.contains("-h")) {
            System.out.print(Help.of(command).orElse(Help.overview()));
            System.exit(Help.of(command).isPresent() ? 0 : 2);
        }
        boolean longRunning = command.equals("demo") || command.equals("node");
        if (verbose) {
            CliLogging.verbose();
        } else if (!longRunning) {
            CliLogging.quiet();
        }
        List<String> rest = all.subList(1, all.size());
        try {
            int status = switch (command) {
                case "demo" -> DemoCommand.run(rest);
                case "node" -> NodeCommand.run(rest);
                case "keys" -> KeysCommand.run(rest, System.out);
                case "config" -> ConfigCommand.run(rest, System.out, System.err);
                case "cluster" -> ClusterCommand.run(rest, System.out, System.err);
                case "vip" -> VipCommand.run(rest, System.out, System.err);
                case "mail" -> MailCommand.run(rest, System.out, System.err);
                case "console" -> ConsoleCommand.run(rest, System.out, System.err);
                case "setup" -> SetupCommand.run(rest);
                case "gina" -> !rest.isEmpty() && rest.get(0).equals("init")
                    ? GinaInitCommand.run(rest, System.out, System.err) : GinaExtractCommand.run(rest, System.out);
                default -> throw new Arguments.UsageException("unknown command '" + command + "' (sealgate help)");
            };
            if (status != 0) {
                System.exit(status);
            }
        } catch (Arguments.UsageException e) {
            System.err.println("sealgate: " + e.getMessage() + " (sealgate " + command + " --help)");
            System.exit(2);
        } catch (NodeStartException e) {
            System.err.println("sealgate: cannot start: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("sealgate: " + CliErrors.describe(e, rest));
            if (verbose) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }
}
