package dev.bastion.investigate;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Streams audit entries to one SIEM sink as they are sequenced (an {@link AuditFollower} consumer). A batch is
 * written and flushed (to the receiver's socket, or to the file and its disk) before the follower advances its
 * cursor, and an orderly stop closes the connection only after the receiver has read everything — so across a
 * restart every entry is delivered exactly once. If a connection breaks mid-batch the batch is sent again on a new
 * one (at least once; each message carries its leaf index for the receiver to spot a repeat).
 */
public final class SiemExporter implements AuditFollower.Consumer {
    private static final Logger LOG = Logger.getLogger(SiemExporter.class.getName());

    /** Where messages go. */
    public sealed interface Sink {
        /** Syslog frames (RFC 5425 octet counting) over a connection from {@code connector}. */
        record Stream(SiemConnector connector) implements Sink {}

        /** One message per line appended to {@code file}. */
        record File(Path file) implements Sink {}
    }

    private final String name;
    private final SiemFormat format;
    private final Sink sink;
    private SiemConnector.Connection connection;
    private FileOutputStream file;
    private long delivered;

    public SiemExporter(String name, SiemFormat format, Sink sink) {
        this.name = name;
        this.format = format;
        this.sink = sink;
    }

    /** The follower name under which this sink's cursor is kept. */
    public static String follower(String sinkName) { return "siem:" + sinkName; }

    public long delivered() { return delivered; }

    @Override
    public void deliver(List<AuditFollower.LogEntry> batch) throws IOException {
        switch (sink) {
            case Sink.Stream s -> {
                SiemConnector.Connection c = connection(s.connector());
                OutputStream out = c.out();
                try {
                    for (AuditFollower.LogEntry e : batch) {
                        byte[] msg = format.syslog(e.index(), e.data()).getBytes(StandardCharsets.UTF_8);
                        out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
                        out.write(msg);
                    }
                    out.flush();
                } catch (IOException e) {
                    disconnect();
                    throw e;
                }
            }
            case Sink.File f -> {
                FileOutputStream out = file(f.file());
                StringBuilder lines = new StringBuilder();
                for (AuditFollower.LogEntry e : batch) lines.append(format.body(e.index(), e.data())).append('\n');
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.getFD().sync();
            }
        }
        delivered += batch.size();
    }

    private SiemConnector.Connection connection(SiemConnector connector) throws IOException {
        if (connection != null && connection.peerClosed()) {
            LOG.info("SIEM sink " + name + ": the receiver closed the connection; reconnecting");
            disconnect();
        }
        if (connection == null) connection = connector.open();
        return connection;
    }

    private FileOutputStream file(Path path) throws IOException {
        if (file == null) file = new FileOutputStream(path.toFile(), true);
        return file;
    }

    private void disconnect() {
        if (connection != null) connection.close();
        connection = null;
    }

    @Override
    public void stopped() {
        if (connection != null) connection.closeGracefully(5_000);
        connection = null;
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.warning("SIEM sink " + name + ": closing the file failed");
            }
            file = null;
        }
    }
}
