package dev.bastion.governance;

import java.time.Instant;

/**
 * What verifying an artifact's OpenSSF model-signing (Sigstore) bundle established, offline: which configured key
 * or certificate authority vouched for it, the model name the signer gave, and the bundle's own digest.
 *
 * @param method      {@code key} (a configured public key) or {@code certificate} (a chain to a configured root)
 * @param signer      {@code sha256:<hex>} of the verifying public key (SubjectPublicKeyInfo DER)
 * @param signerName  the signing certificate's subject, or null for keys
 * @param subjectName the model name in the signed statement
 * @param bundleDigest {@code sha256:<hex>} of the bundle file
 */
public record SignatureCheck(String method, String signer, String signerName, String subjectName,
                             String bundleDigest, Instant checkedAt) {}
