package dev.bastion.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Privacy operations ({@code privacy:}) and the audit log's export to SIEMs ({@code siem:}).
 *
 * @param controller         who is responsible for the processing (GDPR Art. 30(1)(a)); empty strings when unset
 * @param subjectCategories  categories of data subjects (customers, employees, patients), for the Art. 30 record
 * @param homeRegion         the region the controller is in; backends elsewhere count as transfers
 * @param retention          retention rules, applied by the retention job
 * @param retentionInterval  how often the retention job runs ({@code 0s}: only on demand)
 * @param siem               sinks the audit log is streamed to
 */
public record PrivacySettings(Controller controller, List<String> subjectCategories, String homeRegion,
                              List<Retention> retention, Duration retentionInterval, List<Siem> siem) {

    public PrivacySettings {
        subjectCategories = List.copyOf(subjectCategories);
        retention = List.copyOf(retention);
        siem = List.copyOf(siem);
    }

    public static final PrivacySettings NONE = new PrivacySettings(new Controller("", "", ""), List.of(), "",
            List.of(), Duration.ofHours(1), List.of());

    /** The controller (and its data protection officer) named in the record of processing. */
    public record Controller(String name, String contact, String dpo) {}

    /** What a retention rule governs. */
    public enum Data { PSEUDONYMS, REQUEST_METADATA, CONSENTS, SUBJECTS }

    /**
     * Records of {@code data} older than {@code keep} are removed; {@code purpose}/{@code classification} (null:
     * any) narrow the rule to records made for that purpose / at that classification.
     */
    public record Retention(String name, Data data, String purpose, String classification, Duration keep) {}

    public enum Format { RFC5424, CEF, JSON }

    public enum Transport { TLS, TCP, FILE }

    public enum Start { BEGINNING, END }

    /**
     * One SIEM sink: entries as RFC 5424 syslog, CEF or JSON messages, over syslog-over-TLS (RFC 5425 framing),
     * plain TCP (for a local relay) or appended to a file (JSON lines).
     *
     * @param ca          CA certificates (PEM) the receiver's certificate must chain to; null: the JDK's trust store
     * @param clientChain client certificate chain (PEM) for mutual TLS, or null
     * @param allowTls12  whether TLS 1.2 is offered besides 1.3 (for receivers that lack 1.3)
     */
    public record Siem(String name, Format format, Transport transport, String host, int port, Path file, Path ca,
                       Path clientChain, Path clientKey, boolean allowTls12, String appName, Start start) {}
}
