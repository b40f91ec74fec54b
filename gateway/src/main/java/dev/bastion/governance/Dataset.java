package dev.bastion.governance;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A fine-tuning dataset as registered: its digest, where it came from, the legal basis for using it, and what
 * Bastion's own detectors found in it (counts by type, never values).
 *
 * @param consentBasis one of {@link #BASES}
 * @param records      records scanned (JSONL lines or text lines)
 * @param piiRecords   records in which at least one personal-data type was found
 * @param piiByType    findings by type
 */
public record Dataset(String id, String name, String sha256, long sizeBytes, Path path, String source,
                      String consentBasis, long records, long piiRecords, Map<String, Long> piiByType,
                      String registeredBy, Instant registeredAt) {

    /** Lawful bases (GDPR Art. 6) plus data that holds no personal data by construction. */
    public static final Set<String> BASES = Set.of("consent", "contract", "legal-obligation", "vital-interests",
            "public-task", "legitimate-interests", "anonymised", "synthetic");

    public Dataset {
        piiByType = Map.copyOf(piiByType);
    }
}
