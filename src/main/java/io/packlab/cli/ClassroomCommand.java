package io.packlab.cli;

import io.packlab.classroom.server.ClassroomServer;
import io.packlab.classroom.server.Codes;
import io.packlab.classroom.server.Room;
import io.packlab.error.PacklabException;
import io.packlab.term.Console;
import io.packlab.workshop.Session;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Collections;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code classroom}: the instructor's side of a workshop; {@code classroom serve} runs the room's server. */
@Command(name = "classroom", description = "For instructors: see live, in a browser, where every learner stands.",
        subcommands = ClassroomCommand.Serve.class)
final class ClassroomCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw PacklabException.usage("`classroom` needs a subcommand: `classroom serve` starts the room's server."
                + " Run `./packlab classroom serve --help` for its options.");
    }

    /** {@code classroom serve}: the room's server, until Ctrl-C or SIGTERM. */
    @Command(name = "serve", description = "Start the classroom server: learners push their progress to it, and its"
            + " page shows the room live. Runs until Ctrl-C.")
    static final class Serve implements Callable<Integer> {

        static final int DEFAULT_PORT = 8765;

        private final Session ctx;

        @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
                description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; give this"
                        + " machine's address on the room's network, or 0.0.0.0, for learners on other machines).")
        String bind;

        @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
                description = "The port (default: ${DEFAULT-VALUE}; 0: any free port).")
        int port;

        @Option(names = "--code", paramLabel = "CODE",
                description = "Reuse the join code of an earlier start (with --room-code), so learners keep their URL.")
        String code;

        @Option(names = "--room-code", paramLabel = "ROOMCODE", description = "Reuse the page's code of an earlier start.")
        String roomCode;

        Serve(Session ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws InterruptedException {
            if ((code == null) != (roomCode == null)) {
                throw PacklabException.usage("give --code and --room-code together (both from the server you restart),"
                        + " or neither for new codes.");
            }
            String join = code == null ? Codes.random() : Codes.given("--code", code);
            String page = roomCode == null ? Codes.random() : Codes.given("--room-code", roomCode);
            if (port < 0 || port > 65535) {
                throw PacklabException.usage("--port takes a port from 0 to 65535, not " + port + ".");
            }
            InetAddress address = address(bind);
            ClassroomServer server;
            try {
                server = ClassroomServer.start(new Room(Clock.systemUTC()), new InetSocketAddress(address, port), join, page);
            } catch (BindException e) {
                throw PacklabException.usage("cannot listen on " + bind + " port " + port + " (" + e.getMessage()
                        + "): the port is taken (another classroom server still running?) or the address is not one of"
                        + " this machine's. Give another --port, or an address of this machine with --bind.");
            } catch (IOException e) {
                throw PacklabException.usage("cannot listen on " + bind + " port " + port + ": " + e.getMessage() + ".");
            }
            CountDownLatch stop = new CountDownLatch(1);
            ServeSignals.onStop(stop::countDown);
            try {
                String base = "http://" + host(address) + ":" + server.address().getPort();
                Console c = ctx.console();
                c.println("learners join with: --classroom " + base + "/join/" + join);
                c.println("the room's page (for you, the instructor): " + base + "/room/" + page + "/");
                if (address.isLoopbackAddress()) {
                    c.println("Listening on this machine only; for learners on other machines, start with --bind and"
                            + " this machine's address on the room's network.");
                } else if (address.isAnyLocalAddress()) {
                    c.println("Listening on every address of this machine; learners use the one of the room's network.");
                }
                c.println("To restart without a new URL: classroom serve --port " + server.address().getPort()
                        + " --code " + join + " --room-code " + page + (bind.equals("127.0.0.1") ? "" : " --bind " + bind));
                c.println("Stop with Ctrl-C.");
                stop.await();
                int learners = server.room().size();
                server.close();
                c.println("classroom closed (" + learners + (learners == 1 ? " learner" : " learners") + " had joined).");
                return 0;
            } finally {
                server.close();
            }
        }

        private static InetAddress address(String bind) {
            try {
                return InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw PacklabException.usage("--bind `" + io.packlab.error.Texts.word(bind) + "` is not an address or a"
                        + " name this machine knows; give an IP address of this machine (127.0.0.1, 0.0.0.0, ...).");
            }
        }

        /** The host of the join line: the bound address, or for a wildcard one, this machine's first address on a network. */
        static String host(InetAddress bound) {
            InetAddress shown = bound;
            if (bound.isAnyLocalAddress()) {
                shown = networkAddress();
            }
            if (shown instanceof Inet6Address) {
                String text = shown.getHostAddress();
                int zone = text.indexOf('%');
                return "[" + (zone < 0 ? text : text.substring(0, zone)) + "]";
            }
            return shown.getHostAddress();
        }

        private static InetAddress networkAddress() {
            try {
                for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (!n.isUp() || n.isLoopback()) {
                        continue;
                    }
                    for (InetAddress a : Collections.list(n.getInetAddresses())) {
                        if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                            return a;
                        }
                    }
                }
            } catch (SocketException e) {
                // no interface list: the loopback address below
            }
            return InetAddress.getLoopbackAddress();
        }
    }
}
