package org.sealgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The VIP test's network: a host bridge {@value #BRIDGE} (198.18.13.1/24, where the test's ZooKeeper listens) and
 * one network namespace per host ({@code sg-vip-*}), each with an {@code eth0} on the bridge. Everything is named
 * with the {@code sg-vip-} prefix, so {@link #sweep()} can remove what a crashed run left behind. Root only.
 */
final class VipNetwork implements AutoCloseable {
    static final String PREFIX = "sg-vip-";
    static final String BRIDGE = PREFIX + "br";
    static final String HOST_ADDRESS = "198.18.13.1";

    private final List<String> namespaces = new ArrayList<>();

    /** Creates the bridge; namespaces are added with {@link #host}. */
    static VipNetwork create() throws IOException, InterruptedException {
        sweep();
        VipNetwork network = new VipNetwork();
        try {
            ip("link", "add", BRIDGE, "type", "bridge");
            ip("addr", "add", HOST_ADDRESS + "/24", "dev", BRIDGE);
            ip("link", "set", BRIDGE, "up");
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** A namespace {@code sg-vip-NAME} with {@code eth0} at {@code address}/24 on the bridge, and loopback up. */
    String host(String name, String address) throws IOException, InterruptedException {
        String namespace = PREFIX + name;
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        String hostSide = namespace + "-h";
        ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        ip("link", "set", hostSide, "master", BRIDGE);
        ip("link", "set", hostSide, "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", namespace, "link", "set", "eth0", "up");
        return namespace;
    }

    /** Whether {@code address} is on the namespace's {@code eth0} (keepalived put the VIP there). */
    static boolean holds(String namespace, String address) {
        try {
            return run(List.of("ip", "-n", namespace, "-4", "addr", "show", "dev", "eth0")).contains(" " + address + "/");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The command prefixed to run inside a namespace. */
    static List<String> in(String namespace, List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return all;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String namespace : namespaces) {
            killAll(namespace);
            run(List.of("ip", "netns", "del", namespace), true);
        }
        run(List.of("ip", "link", "del", BRIDGE), true);
    }

    /** Removes every {@code sg-vip-} namespace (killing what runs in it) and the bridge: leftovers of a crashed run. */
    static void sweep() throws IOException, InterruptedException {
        for (String line : run(List.of("ip", "netns", "list"), true).split("\n")) {
            String name = line.split(" ")[0].strip();
            if (name.startsWith(PREFIX)) {
                killAll(name);
                run(List.of("ip", "netns", "del", name), true);
            }
        }
        if (run(List.of("ip", "-br", "link", "show"), true).contains(BRIDGE)) {
            run(List.of("ip", "link", "del", BRIDGE), true);
        }
    }

    private static void killAll(String namespace) throws IOException, InterruptedException {
        for (String pid : run(List.of("ip", "netns", "pids", namespace), true).split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, false);
    }

    static String run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 30 s");
        }
        if (process.exitValue() != 0 && !mayFail) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }

    static boolean isRoot() {
        try {
            return run(List.of("id", "-u"), true).strip().equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static Path tool(String path) {
        return Path.of(path);
    }

    static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }
}
