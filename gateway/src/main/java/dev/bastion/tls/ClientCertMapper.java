package dev.bastion.tls;

import dev.bastion.identity.Principal;

import javax.security.auth.x500.X500Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps a client certificate that the TLS layer already verified against the client CA to a {@link Principal}
 * ({@code AuthMethod.MTLS}). Rules are tried in order, the first match decides; no match means no principal (the
 * request is unauthenticated, so policy denies). A rule matches on the subject DN (RFC 2253, e.g.
 * {@code CN=svc-a,OU=ml,O=Example}) and/or on any subject alternative name written {@code dns:…}, {@code uri:…},
 * {@code email:…} or {@code ip:…}; both patterns must match the whole string.
 * <p>Principal id: {@code cert:<the matching SAN>} when the rule matched a SAN, else {@code cert:<subject DN>}.
 */
public final class ClientCertMapper {

    public record Rule(Pattern subject, Pattern san, Principal.Type type, Set<String> roles, Set<String> models) {
        public Rule {
            if (subject == null && san == null) throw new TlsException("an mTLS rule needs a subject or san pattern");
            roles = Set.copyOf(roles);
            models = Set.copyOf(models);
        }
    }

    private final List<Rule> rules;

    public ClientCertMapper(List<Rule> rules) { this.rules = List.copyOf(rules); }

    /**
     * From config: a list of {@code {subject: regex, san: regex, type: service|user, roles: [..], models: [..]}}.
     */
    public static ClientCertMapper fromConfig(List<? extends Map<String, ?>> rules) {
        List<Rule> out = new ArrayList<>();
        for (Map<String, ?> r : rules) {
            Object type = r.get("type");
            out.add(new Rule(pattern(r.get("subject")), pattern(r.get("san")),
                    "user".equals(type) ? Principal.Type.USER : Principal.Type.SERVICE,
                    strings(r.get("roles")), strings(r.get("models"))));
        }
        return new ClientCertMapper(out);
    }

    /** The principal for a verified chain (leaf first), or empty when no rule matches or there is no certificate. */
    public Optional<Principal> map(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) return Optional.empty();
        String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
        List<String> sans = alternativeNames(leaf);
        for (Rule rule : rules) {
            if (rule.subject() != null && !rule.subject().matcher(subject).matches()) continue;
            String matchedSan = null;
            if (rule.san() != null) {
                for (String san : sans) {
                    if (rule.san().matcher(san).matches()) {
                        matchedSan = san;
                        break;
                    }
                }
                if (matchedSan == null) continue;
            }
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("cert_subject", subject);
            attributes.put("cert_issuer", leaf.getIssuerX500Principal().getName(X500Principal.RFC2253));
            attributes.put("cert_fingerprint", Fingerprints.sha256(leaf));
            attributes.put("cert_sans", List.copyOf(sans));
            String id = "cert:" + (matchedSan != null ? matchedSan : subject);
            return Optional.of(new Principal(id, rule.type(), rule.roles(), attributes, Principal.AuthMethod.MTLS, rule.models()));
        }
        return Optional.empty();
    }

    static List<String> alternativeNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return out;
            for (List<?> san : sans) {
                String prefix = switch ((Integer) san.get(0)) {
                    case 1 -> "email:";
                    case 2 -> "dns:";
                    case 6 -> "uri:";
                    case 7 -> "ip:";
                    default -> null;
                };
                if (prefix != null && san.get(1) instanceof String v) out.add(prefix + v);
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }

    private static Pattern pattern(Object o) { return o == null ? null : Pattern.compile(o.toString()); }

    private static Set<String> strings(Object o) {
        if (o == null) return Set.of();
        if (o instanceof Collection<?> c) return Set.copyOf(c.stream().map(String::valueOf).toList());
        return Set.of(o.toString());
    }
}
