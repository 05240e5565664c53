package org.sealgate.cli;

import java.util.Arrays;
import java.util.List;

/** Entry point of {@code ./sealgate}: {@code demo}, {@code node}, {@code keys ...}, {@code config ...}, {@code cluster ...}. */
public final class SealgateCli {
    private SealgateCli() {
    }

    public static void main(String[] args) {
        List<String> all = Arrays.asList(args);
        if (all.isEmpty()) {
            System.err.println("usage: sealgate demo|node|keys|config|cluster|setup ... (./sealgate help)");
            System.exit(2);
        }
        List<String> rest = all.subList(1, all.size());
        try {
            int status = switch (all.get(0)) {
                case "demo" -> DemoCommand.run(rest);
                case "node" -> NodeCommand.run(rest);
                case "keys" -> KeysCommand.run(rest, System.out);
                case "config" -> ConfigCommand.run(rest, System.out, System.err);
                case "cluster" -> ClusterCommand.run(rest, System.out, System.err);
                case "setup" -> SetupCommand.run(rest);
                default -> throw new Arguments.UsageException("unknown command '" + all.get(0) + "'");
            };
            if (status != 0) {
                System.exit(status);
            }
        } catch (Arguments.UsageException e) {
            System.err.println("sealgate: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("sealgate: " + e.getMessage());
            System.exit(1);
        }
    }
}
