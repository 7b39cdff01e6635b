import { createHash, randomBytes } from "node:crypto";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import type { KeySpec, SigningAlgorithmSpec } from "../../generated/kms.js";

/**
 * ML-DSA keys (FIPS 204), as KMS has them since 2025: ML_DSA_44/65/87, KeyUsage SIGN_VERIFY, one signing algorithm,
 * ML_DSA_SHAKE_256, over a RAW message (pure ML-DSA with an empty context) or an EXTERNAL_MU, "the 64-byte message
 * representation μ used in ML-DSA signing as defined in NIST FIPS 204 section 6.2" ("Note that this signing is
 * different from the "pre-hash" ML-DSA or HashML-DSA") [KMS mldsa.html; M-KMS Sign MessageType]. Node 20's crypto
 * has no ML-DSA, so @noble/post-quantum (audited) does the lattice work.
 *
 * μ is the one thing ML-DSA signs (FIPS 204 Algorithm 7 step 6): μ = SHAKE256(tr ‖ M′, 64) with tr = SHAKE256(pk, 64)
 * and, for pure ML-DSA with an empty context, M′ = 0x00 ‖ 0x00 ‖ M (Algorithm 2 step 10). So a RAW message is turned
 * into μ here, and both message types are signed as μ: "The signatures produced by the externally computed μ are the
 * same as the RAW ones" [KMS mldsa.html] (same in the sense that either verifies as the other; signing is FIPS 204's
 * default hedged variant, so two signatures of one message differ).
 *
 * *Decided*: the key's Material is the 32-byte seed ξ of FIPS 204 Algorithm 1 (the seed form of the private key
 * RFC 9881 recommends), from which Algorithm 6 derives the key pair on each use; a key pair of the other specs keeps
 * PKCS#8 DER, which Node 20 cannot write for ML-DSA.
 */

interface Parameters {
  dsa: typeof ml_dsa44;
  /** The last arc of the FIPS 204 OID 2.16.840.1.101.3.4.3.{17,18,19} (id-ml-dsa-44/65/87, RFC 9881). */
  oidArc: number;
}

export const ML_DSA_SPECS: Partial<Record<KeySpec, Parameters>> = {
  ML_DSA_44: { dsa: ml_dsa44, oidArc: 17 },
  ML_DSA_65: { dsa: ml_dsa65, oidArc: 18 },
  ML_DSA_87: { dsa: ml_dsa87, oidArc: 19 },
};

export const ML_DSA_SIGNING_ALGORITHMS: SigningAlgorithmSpec[] = ["ML_DSA_SHAKE_256"];

/** μ's length: "When the value of MessageType is EXTERNAL_MU the length of the Message value must be 64 bytes". */
export const ML_DSA_MU_BYTES = 64;

const SEED_BYTES = 32;

/** A new key's Material: the seed ξ. */
export function newMlDsaSeed(): Buffer {
  return randomBytes(SEED_BYTES);
}

/**
 * One ML-DSA key for the length of a request: its key pair is derived from the seed once, when first needed, and used
 * for μ and the signature alike.
 */
export class MlDsaKey {
  #keys?: { publicKey: Uint8Array; secretKey: Uint8Array };

  constructor(
    private readonly parameters: Parameters,
    private readonly seed: Buffer,
  ) {}

  private get keys() {
    this.#keys ??= this.parameters.dsa.keygen(this.seed);
    return this.#keys;
  }

  /** The raw FIPS 204 public key (pkEncode, Algorithm 22): 1312, 1952 or 2592 bytes. */
  get publicKey(): Uint8Array {
    return this.keys.publicKey;
  }

  /** DER SubjectPublicKeyInfo: the algorithm's OID with absent parameters, the raw public key as the BIT STRING (RFC 9881 §4). */
  publicKeyDer(): Buffer {
    const oid = Buffer.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, this.parameters.oidArc]);
    const algorithm = der(0x30, oid);
    const bits = der(0x03, Buffer.concat([Buffer.of(0), this.publicKey]));
    return der(0x30, Buffer.concat([algorithm, bits]));
  }

  /** μ of a RAW message, pure ML-DSA with an empty context. */
  mu(message: Uint8Array): Buffer {
    const tr = shake256(this.publicKey);
    return shake256(Buffer.concat([tr, Buffer.of(0, 0), message]));
  }

  sign(mu: Uint8Array): Buffer {
    return Buffer.from(this.parameters.dsa.internal.sign(mu, this.keys.secretKey, { externalMu: true }));
  }

  /** False for a signature that does not verify or is not an ML-DSA signature of this parameter set at all. */
  verify(mu: Uint8Array, signature: Uint8Array): boolean {
    try {
      return this.parameters.dsa.internal.verify(signature, mu, this.publicKey, { externalMu: true });
    } catch {
      return false;
    }
  }
}

function shake256(data: Uint8Array): Buffer {
  return createHash("shake256", { outputLength: ML_DSA_MU_BYTES }).update(data).digest();
}

/** A DER TLV (X.690 §8.1.3: short or long form length). */
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.of(n) : n < 0x100 ? Buffer.of(0x81, n) : Buffer.of(0x82, n >> 8, n & 0xff);
  return Buffer.concat([Buffer.of(tag), length, content]);
}
