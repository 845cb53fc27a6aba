import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A throw-away certificate authority and a server certificate it signed for 127.0.0.1, ::1 and localhost. */
export interface DevTlsMaterial {
  /** The CA certificate (PEM): what clients trust (`CODEX_CA_CERTIFICATE`, `NODE_EXTRA_CA_CERTS`). */
  caPem: string;
  /** The server certificate (PEM), signed by the CA. */
  certPem: string;
  /** The server's private key (PKCS#8 PEM). Lives in memory only. */
  keyPem: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

function serial(): string {
  // A positive 16-byte serial (the high bit clear keeps the DER integer positive).
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/**
 * Makes a fresh CA (valid one day, ECDSA P-256, `cA` with path length 0) and a server certificate for the loopback
 * names (SAN `IP:127.0.0.1`, `IP:::1`, `DNS:localhost`, EKU serverAuth), both with @peculiar/x509 over WebCrypto.
 * Nothing is written anywhere; the caller decides where the CA goes.
 */
export async function createDevTlsMaterial(now: Date = new Date()): Promise<DevTlsMaterial> {
  x509.cryptoProvider.set(webcrypto);
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + DAY_MS);
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=codex-ts dev-backend throw-away CA',
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return {
    caPem: withNewline(ca.toString('pem')),
    certPem: withNewline(server.toString('pem')),
    keyPem: pem('PRIVATE KEY', keyDer),
  };
}
