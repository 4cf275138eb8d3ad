package io.eltcdc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local TCP port that forwards every connection to a server, and that a test can {@link #shut}
 * and {@link #open} again: the server, as its clients see it, goes away (open connections are cut,
 * new ones refused) and comes back on the same port. Real sockets, no mock of any driver.
 */
public final class TcpForwarder implements AutoCloseable {
    private final InetAddress bindAddress;
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-forwarder");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket server;

    private TcpForwarder(InetAddress bindAddress, String targetHost, int targetPort, int port) {
        this.bindAddress = bindAddress;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /** Opens a free local port that forwards to {@code targetHost:targetPort}. */
    public static TcpForwarder start(String targetHost, int targetPort) throws IOException {
        return start(InetAddress.getLoopbackAddress(), targetHost, targetPort);
    }

    /**
     * Opens a free port on {@code bindAddress} (e.g. 127.0.0.2, another loopback address: a host a
     * server's certificate does not name) that forwards to {@code targetHost:targetPort}.
     */
    public static TcpForwarder start(InetAddress bindAddress, String targetHost, int targetPort) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, bindAddress)) {
            port = probe.getLocalPort();
        }
        TcpForwarder forwarder = new TcpForwarder(bindAddress, targetHost, targetPort, port);
        forwarder.open();
        return forwarder;
    }

    public int port() {
        return port;
    }

    /** Accepts connections again, on the same port. */
    public synchronized void open() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bindAddress, port));
        server = s;
        threads.execute(() -> accept(s));
    }

    /** Refuses new connections and cuts the open ones. */
    public synchronized void shut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        sockets.forEach(TcpForwarder::closeQuietly);
        sockets.clear();
    }

    @Override
    public void close() {
        shut();
        threads.shutdownNow();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // shut
            }
            try {
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                threads.execute(() -> pump(client, upstream));
                threads.execute(() -> pump(upstream, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Copies bytes one way until either side ends, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut by shut(), or by one of the peers
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all that is asked
        }
    }
}
