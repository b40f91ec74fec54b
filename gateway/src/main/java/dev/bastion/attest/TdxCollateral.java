package dev.bastion.attest;

/**
 * Intel PCS collateral for verifying TDX quotes, as downloaded (bytes exactly as served):
 *
 * @param tcbInfo             the TDX TCB Info response for the platform's FMSPC ({@code {"tcbInfo":…,"signature":…}})
 * @param tcbInfoIssuerChain  PEM: the TCB signing certificate, then the root (HTTP header TCB-Info-Issuer-Chain)
 * @param qeIdentity          the TD_QE identity response ({@code {"enclaveIdentity":…,"signature":…}})
 * @param qeIdentityIssuerChain PEM chain that signed the QE identity (usually the same as the TCB Info's)
 * @param pckCrl              the CRL of the PCK certificate's issuing CA (DER or PEM)
 * @param rootCrl             the Intel SGX Root CA's CRL (DER or PEM)
 */
public record TdxCollateral(byte[] tcbInfo, byte[] tcbInfoIssuerChain, byte[] qeIdentity, byte[] qeIdentityIssuerChain,
                            byte[] pckCrl, byte[] rootCrl) {
    public TdxCollateral {
        tcbInfo = tcbInfo.clone();
        tcbInfoIssuerChain = tcbInfoIssuerChain.clone();
        qeIdentity = qeIdentity.clone();
        qeIdentityIssuerChain = qeIdentityIssuerChain.clone();
        pckCrl = pckCrl.clone();
        rootCrl = rootCrl.clone();
    }
}
