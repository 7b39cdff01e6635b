// tsyringe, which @peculiar/x509 uses inside, needs the Reflect metadata API before it loads.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { isIP } from "node:net";
import * as x509 from "@peculiar/x509";

/**
 * The X.509 work of the data plane's TLS, done by @peculiar/x509 on Node's WebCrypto: a local certificate
 * authority, and server certificates it signs for the data-plane hosts. Everything here is PEM in, PEM out; where
 * the files live is tls-files.ts's concern.
 */

x509.cryptoProvider.set(webcrypto as Crypto);

/** ECDSA P-256 with SHA-256: what every TLS client accepts, and a key is made in a millisecond (RSA takes 100). */
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The CA outlives any data directory that is in use. */
const CA_DAYS = 3650;
/** *Decided*: 397 days, the longest validity Apple's clients accept for a server certificate (support.apple.com/HT211025). */
const SERVER_DAYS = 397;
/** A server certificate with this many days left, or fewer, is issued again (at start, and daily while running). */
export const RENEW_BEFORE_DAYS = 30;

export interface KeyAndCertificate {
  /** PKCS#8 PEM. */
  key: string;
  cert: string;
}

/**
 * A random 127-bit serial number, as hex (RFC 5280 §4.1.2.2: positive, unique per CA, at most 20 octets). The top
 * bit is clear (a set one would make it negative) and the next one set: a leading zero octet would be a non-minimal
 * DER INTEGER, which OpenSSL refuses to parse.
 */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return Buffer.from(bytes).toString("hex");
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function pemKey(key: CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
}

async function importKey(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(pem), ALGORITHM, false, ["sign"]);
}

/** A new certificate authority, named with a random id so that two Tridents' CAs are told apart in a trust store. */
export async function createAuthority(now: Date): Promise<KeyAndCertificate> {
  const keys = await newKeys();
  const id = serialNumber().slice(0, 8);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=Trident local CA ${id}, O=Trident`,
    notBefore: now,
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { key: await pemKey(keys.privateKey), cert: cert.toString("pem") };
}

/** The subject alternative names a server certificate for `hosts` carries: an IP entry for an address, else DNS. */
function alternativeNames(hosts: readonly string[]): x509.JsonGeneralName[] {
  return [...new Set(hosts)].map((host) => (isIP(host) ? { type: "ip", value: host } : { type: "dns", value: host }));
}

/** A server certificate for `hosts`, signed by `authority`. */
export async function issueServerCertificate(
  authority: KeyAndCertificate,
  hosts: readonly string[],
  now: Date,
): Promise<KeyAndCertificate> {
  const keys = await newKeys();
  const issuer = new x509.X509Certificate(authority.cert);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${hosts[0]}, O=Trident`,
    issuer: issuer.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: await importKey(authority.key),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(alternativeNames(hosts)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer),
    ],
  });
  return { key: await pemKey(keys.privateKey), cert: cert.toString("pem") };
}

/**
 * Whether `cert` can keep serving `hosts`: signed by `authority`, naming exactly these hosts, valid at `now` with
 * more than RENEW_BEFORE_DAYS left.
 */
export async function stillServes(
  cert: string,
  authority: KeyAndCertificate,
  hosts: readonly string[],
  now: Date,
): Promise<boolean> {
  const parsed = new x509.X509Certificate(cert);
  const ca = new x509.X509Certificate(authority.cert);
  if (!(await parsed.verify({ publicKey: ca.publicKey, signatureOnly: true }))) return false;
  if (parsed.notAfter.getTime() - now.getTime() <= RENEW_BEFORE_DAYS * DAY_MS) return false;
  if (parsed.notBefore > now) return false; // the clock went back: clients would refuse it as not valid yet
  const names = parsed.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  const have = names.map((n) => `${n.type}:${n.value}`).sort();
  const want = alternativeNames(hosts)
    .map((n) => `${n.type}:${n.value}`)
    .sort();
  return have.length === want.length && have.every((name, i) => name === want[i]);
}
