package dev.bastion.attest;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.KeySelector;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Golden GPU measurements: index (0-based, as NVIDIA's reference manifests number them; SPDM block index − 1) →
 * allowed values. Built from NVIDIA's signed Reference Integrity Manifests (TCG RIM SWID tags with an enveloped
 * XML signature chained to NVIDIA's RIM root) or given directly by an operator.
 *
 * @param validFrom when the manifest's signing chain became valid (configured manifests: {@link Instant#MIN})
 * @param validTo   when it expires; verification after it refuses as expired collateral
 */
public record GpuReferenceManifest(String name, Map<Integer, Set<String>> measurements, Instant validFrom,
                                   Instant validTo) {
    private static final String SWID = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
    private static final String SHA384 = "http://www.w3.org/2001/04/xmlenc#sha384";

    public GpuReferenceManifest {
        Map<Integer, Set<String>> copy = new HashMap<>();
        measurements.forEach((k, v) -> {
            Set<String> lower = new HashSet<>();
            for (String h : v) lower.add(h.toLowerCase(Locale.ROOT));
            copy.put(k, Set.copyOf(lower));
        });
        measurements = Map.copyOf(copy);
    }

    /** Operator-given reference values that never expire. */
    public static GpuReferenceManifest of(String name, Map<Integer, Set<String>> measurements) {
        return new GpuReferenceManifest(name, measurements, Instant.MIN, Instant.MAX);
    }

    /** Verifies an NVIDIA RIM against the bundled RIM root at {@code at} and reads its active measurements. */
    public static GpuReferenceManifest fromSwidTag(byte[] xml, Instant at) throws IllegalArgumentException {
        try {
            return fromSwidTag(xml, Certificates.resource("roots/nvidia-rim-root.pem"), at);
        } catch (EvidenceException e) {
            throw new IllegalArgumentException("reference manifest refused: " + e.reason().code() + ": "
                    + e.getMessage());
        }
    }

    static GpuReferenceManifest fromSwidTag(byte[] xml, List<X509Certificate> roots, Instant at)
            throws EvidenceException {
        Document doc = parse(xml);
        NodeList sigs = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        if (sigs.getLength() != 1) throw new EvidenceException(Refusal.COLLATERAL_INVALID, "RIM must carry one signature");
        Element sigElement = (Element) sigs.item(0);
        List<X509Certificate> chain = new ArrayList<>();
        NodeList certs = sigElement.getElementsByTagNameNS(XMLSignature.XMLNS, "X509Certificate");
        for (int i = 0; i < certs.getLength(); i++) {
            byte[] der = Base64.getMimeDecoder().decode(certs.item(i).getTextContent());
            chain.add(Certificates.parse(der, "RIM certificate"));
        }
        if (chain.isEmpty()) throw new EvidenceException(Refusal.COLLATERAL_INVALID, "RIM carries no certificate");
        try {
            Certificates.verifyChain(chain, roots, at, "RIM chain");
        } catch (EvidenceException e) {
            throw new EvidenceException(e.reason() == Refusal.CERTIFICATE_EXPIRED ? Refusal.COLLATERAL_EXPIRED
                    : Refusal.COLLATERAL_INVALID, e.getMessage());
        }
        validateSignature(sigElement, chain.getFirst());
        Map<Integer, Set<String>> golden = new HashMap<>();
        NodeList resources = doc.getElementsByTagNameNS(SWID, "Resource");
        for (int i = 0; i < resources.getLength(); i++) {
            Element r = (Element) resources.item(i);
            if (!"Measurement".equals(r.getAttribute("type")) || !"true".equalsIgnoreCase(r.getAttribute("active"))) {
                continue;
            }
            try {
                int index = Integer.parseInt(r.getAttribute("index"));
                int alternatives = Integer.parseInt(r.getAttribute("alternatives"));
                Set<String> values = new HashSet<>();
                for (int k = 0; k < alternatives; k++) values.add(r.getAttributeNS(SHA384, "Hash" + k));
                if (values.contains("") || golden.put(index, values) != null) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new EvidenceException(Refusal.MALFORMED, "RIM measurement entry " + i + " is malformed");
            }
        }
        Instant from = chain.stream().map(c -> c.getNotBefore().toInstant()).max(Instant::compareTo).orElseThrow();
        return new GpuReferenceManifest(doc.getDocumentElement().getAttribute("name") + " "
                + metaVersion(doc), golden, from, Certificates.notAfter(chain));
    }

    /** Validates the enveloped signature, which must cover the whole document (one reference, URI ""). */
    private static void validateSignature(Element sigElement, X509Certificate signer) throws EvidenceException {
        try {
            DOMValidateContext ctx = new DOMValidateContext(KeySelector.singletonKeySelector(signer.getPublicKey()),
                    sigElement);
            XMLSignature sig = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(ctx);
            List<?> refs = sig.getSignedInfo().getReferences();
            if (refs.size() != 1 || !"".equals(((Reference) refs.getFirst()).getURI())) {
                throw new EvidenceException(Refusal.COLLATERAL_INVALID, "RIM signature does not cover the document");
            }
            if (!sig.validate(ctx)) {
                throw new EvidenceException(Refusal.COLLATERAL_INVALID, "RIM signature does not verify");
            }
        } catch (EvidenceException e) {
            throw e;
        } catch (Exception e) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, "RIM signature does not verify");
        }
    }

    private static String metaVersion(Document doc) {
        NodeList meta = doc.getElementsByTagNameNS(SWID, "Meta");
        return meta.getLength() == 0 ? "" : ((Element) meta.item(0)).getAttribute("colloquialVersion");
    }

    private static Document parse(byte[] xml) throws EvidenceException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new EvidenceException(Refusal.MALFORMED, "RIM is not well-formed XML");
        }
    }
}
