package dev.bastion.rag;

import java.util.List;
import java.util.Map;

/**
 * What is kept about one document (sealed, like its chunks). The original bytes are never kept: only their digest.
 *
 * @param id             random id ({@code d} + 24 hex), the path segment of its records
 * @param source         where it came from as the uploader named it (file name or URL)
 * @param digest         {@code sha256:<hex>} of the bytes as uploaded
 * @param format         txt, md, html or pdf
 * @param classification never lower than the collection's
 * @param acl            who may retrieve it within the collection (empty: everyone the collection admits)
 * @param subjects       keyed tokens of the data subjects the uploader declared (erasure finds the document by them)
 * @param findings       entity type → count over all chunks, as found before any pseudonymisation
 * @param personalData   {@code stored}, {@code pseudonymised} or {@code none} (nothing found)
 * @param pages          PDF pages, else 1 per started 3,000 characters
 * @param chunks         chunks stored
 * @param embedded       whether its chunks carry embeddings
 * @param addedAt        epoch millis
 * @param expiresAt      epoch millis when retention deletes it, 0 for never
 */
record DocumentRecord(String id, String collection, String source, String digest, String format,
                      String classification, DocumentAcl acl, List<String> subjects, Map<String, Integer> findings,
                      String personalData, int pages, int chunks, boolean embedded, long bytes, long addedAt,
                      long expiresAt, String addedBy) {
    DocumentRecord {
        subjects = List.copyOf(subjects);
        findings = Map.copyOf(findings);
    }

    /**
     * Per-document access within a collection: a caller passes when they hold one of {@code roles}, are one of
     * {@code principals}, or have, for some attribute, one of its listed values. All empty: no restriction.
     */
    record DocumentAcl(List<String> roles, List<String> principals, Map<String, List<String>> attributes) {
        static final DocumentAcl NONE = new DocumentAcl(List.of(), List.of(), Map.of());

        DocumentAcl {
            roles = List.copyOf(roles);
            principals = List.copyOf(principals);
            attributes = Map.copyOf(attributes);
        }

        boolean unrestricted() { return roles.isEmpty() && principals.isEmpty() && attributes.isEmpty(); }
    }
}
