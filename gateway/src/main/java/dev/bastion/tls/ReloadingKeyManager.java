package dev.bastion.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A key manager whose certificate and key can be swapped while the server runs: the SSLContext and every listener
 * using it stay, and each new handshake sees the current material (connections already open keep theirs).
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private volatile X509ExtendedKeyManager current;

    ReloadingKeyManager(X509ExtendedKeyManager initial) { this.current = initial; }

    void swap(X509ExtendedKeyManager next) { this.current = next; }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return current.getClientAliases(keyType, issuers); }
    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket s) { return current.chooseClientAlias(keyType, issuers, s); }
    @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return current.getServerAliases(keyType, issuers); }
    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) { return current.chooseServerAlias(keyType, issuers, s); }
    @Override public X509Certificate[] getCertificateChain(String alias) { return current.getCertificateChain(alias); }
    @Override public PrivateKey getPrivateKey(String alias) { return current.getPrivateKey(alias); }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return current.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.chooseEngineServerAlias(keyType, issuers, engine);
    }
}
