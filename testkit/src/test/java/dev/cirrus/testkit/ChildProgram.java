package dev.cirrus.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import com.sun.net.httpserver.HttpServer;

/**
 * The program {@link ChildJvmTest} runs in child JVMs (JDK classes only). Arguments, in any order:
 * {@code http=<port>} serves 200 at {@code /ready}, {@code listen=<port>} accepts TCP connections,
 * {@code burn} keeps a thread busy, {@code exit=<code>} exits at once. It prints {@code started} on its standard
 * output, {@code on stderr} on its standard error and {@code shutdown hook ran} when its shutdown hooks run.
 */
public final class ChildProgram {

    public static void main(String[] args) throws Exception {
        System.out.println("started");
        System.err.println("on stderr");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        for (String arg : args) {
            if (arg.startsWith("exit=")) {
                System.exit(Integer.parseInt(arg.substring(5)));
            } else if (arg.startsWith("http=")) {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(arg.substring(5))), 0);
                server.createContext("/ready", exchange -> {
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
                server.start();
            } else if (arg.startsWith("listen=")) {
                ServerSocket socket = new ServerSocket(Integer.parseInt(arg.substring(7)), 50,
                        InetAddress.getLoopbackAddress());
                Thread acceptor = new Thread(() -> {
                    while (true) {
                        try {
                            socket.accept().close();
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                acceptor.setDaemon(true);
                acceptor.start();
            } else if (arg.equals("burn")) {
                Thread burner = new Thread(() -> {
                    long x = 0;
                    while (true) {
                        x += System.nanoTime() % 7;
                        if (x == -1) {
                            System.out.println(x);
                        }
                    }
                });
                burner.setDaemon(true);
                burner.start();
            }
        }
        Thread.currentThread().join();
    }
}
