import type { Principal } from "../../auth/principal.js";
import type { GrantOperation, KeyLastUsageTrackingOperation } from "../../generated/kms.js";
import { AwsError } from "../../protocol/errors.js";
import { idUuid } from "../../util/random.js";
import { authorizeKeyAction } from "./access.js";
import { aliasNameFor, ensureAwsManagedKey } from "./aws-managed.js";
import { openSealed, parseBlob } from "./ciphertext.js";
import { decrypt, encrypt, generateDataKey, reEncrypt } from "./crypto.js";
import type { KmsCall, KmsEnv, ViaService } from "./env.js";
import { createGrant, deleteGrant } from "./grants.js";
import { parseKeyArn } from "./identifiers.js";
import { recordKeyUses } from "./key-last-usage.js";
import { requireEnabled } from "./key-states.js";
import { type KeyStateName, findKey, grantTable, keyState, type GrantRecord, type KeyRecord } from "./records.js";
import { resolveKey as resolveKeyReference } from "./resolve.js";
import {
  KeyAccessError,
  type KeyAccessFailure,
  type KmsServiceAccess,
  type ResolvedKey,
  type ServiceKeyCall,
} from "./service-access.js";

/**
 * KMS as a service (Neptune) uses it on a caller's behalf. Every call runs the same domain code as the caller's
 * own API call, with `viaService` set: kms:ViaService = rds.REGION.amazonaws.com and kms:CallerAccount = the
 * caller's account are in the request context, and grant operations carry kms:GrantIsForAWSResource = true. So the
 * aws/rds key policy (only its account, only via RDS) and the seed's grant statement decide exactly as in AWS.
 * KMS's errors become KeyAccessError, which the service turns into its own (KMSKeyNotAccessibleFault).
 */
export class KmsViaService implements KmsServiceAccess {
  constructor(private readonly env: KmsEnv) {}

  resolveKey(request: {
    principal: Principal;
    region: string;
    keyId: string;
    viaService: ViaService;
    actions: string[];
  }): ResolvedKey {
    const call = this.#call(request);
    return asKeyAccess(() => {
      const { key, alias } = resolveKeyReference(call, request.keyId, "any");
      for (const action of request.actions) {
        authorizeKeyAction(call, key, { action, context: alias ? { "kms:RequestAlias": alias } : {} });
      }
      requireEnabled(key);
      return resolved(key);
    });
  }

  awsManagedKey(accountId: string, region: string, service: ViaService): ResolvedKey {
    return resolved(ensureAwsManagedKey(this.env, accountId, region, aliasNameFor(service)));
  }

  generateDataKey(request: ServiceKeyCall): { plaintext: Buffer; ciphertextBlob: Buffer } {
    return asKeyAccess(() => {
      const out = this.#used(
        "GenerateDataKey",
        generateDataKey(this.#call(request), {
          KeyId: request.keyArn,
          KeySpec: "AES_256",
          EncryptionContext: request.encryptionContext,
        }),
      );
      return { plaintext: Buffer.from(out.Plaintext!), ciphertextBlob: Buffer.from(out.CiphertextBlob!) };
    });
  }

  decrypt(request: ServiceKeyCall & { ciphertextBlob: Buffer }): Buffer {
    return asKeyAccess(() => {
      const out = this.#used(
        "Decrypt",
        decrypt(this.#call(request), {
          CiphertextBlob: request.ciphertextBlob,
          KeyId: request.keyArn,
          EncryptionContext: request.encryptionContext,
        }),
      );
      return Buffer.from(out.Plaintext!);
    });
  }

  encrypt(request: ServiceKeyCall & { plaintext: Buffer }): Buffer {
    return asKeyAccess(() => {
      const out = this.#used(
        "Encrypt",
        encrypt(this.#call(request), {
          KeyId: request.keyArn,
          Plaintext: request.plaintext,
          EncryptionContext: request.encryptionContext,
        }),
      );
      return Buffer.from(out.CiphertextBlob!);
    });
  }

  reEncrypt(request: {
    principal: Principal;
    region: string;
    viaService: ViaService;
    ciphertextBlob: Buffer;
    sourceKeyArn: string;
    destinationKeyArn: string;
    encryptionContext?: Record<string, string>;
  }): Buffer {
    return asKeyAccess(() => {
      const out = this.#used(
        "ReEncrypt",
        reEncrypt(this.#call(request), {
          CiphertextBlob: request.ciphertextBlob,
          SourceKeyId: request.sourceKeyArn,
          DestinationKeyId: request.destinationKeyArn,
          SourceEncryptionContext: request.encryptionContext,
          DestinationEncryptionContext: request.encryptionContext,
        }),
      );
      return Buffer.from(out.CiphertextBlob!);
    });
  }

  createGrant(request: ServiceKeyCall & { granteePrincipal: string; operations: readonly string[]; name?: string }): {
    grantId: string;
  } {
    return asKeyAccess(() => {
      const out = createGrant(this.#call(request), {
        KeyId: request.keyArn,
        GranteePrincipal: request.granteePrincipal,
        Operations: [...request.operations] as GrantOperation[],
        Name: request.name,
      });
      return { grantId: out.GrantId! };
    });
  }

  retireGrant(keyArn: string, grantId: string): void {
    deleteGrant(this.env, keyArn, grantId);
  }

  decryptForResource(request: { keyArn: string; grantId: string; ciphertextBlob: Buffer }): Buffer {
    const key = this.#key(request.keyArn);
    if (!key) throw new KeyAccessError("not-found", `Key '${request.keyArn}' does not exist`);
    asKeyAccess(() => requireEnabled(key));
    if (!this.#grant(key, request.grantId)?.Operations.includes("Decrypt"))
      throw new KeyAccessError("access-denied", `No grant ${request.grantId} allows Decrypt on ${key.Arn}`);
    const sealed = parseBlob(request.ciphertextBlob);
    const plaintext = sealed && sealed.keyArn === key.Arn ? openSealed(sealed, key) : undefined;
    if (!plaintext) throw new KeyAccessError("invalid-ciphertext", "The data key does not open under its key");
    this.#used("Decrypt", { KeyId: key.Arn });
    return plaintext;
  }

  grantActive(keyArn: string, grantId: string): boolean {
    const key = this.#key(keyArn);
    return key !== undefined && this.#grant(key, grantId) !== undefined;
  }

  #key(keyArn: string): KeyRecord | undefined {
    const arn = parseKeyArn(keyArn);
    return arn && findKey(this.env, arn.accountId, arn.region, arn.keyId);
  }

  #grant(key: KeyRecord, grantId: string): GrantRecord | undefined {
    const grant = grantTable(this.env, key.AccountId, key.Region).get(grantId);
    return grant?.KeyId === key.KeyId ? grant : undefined;
  }

  keyState(keyArn: string): KeyStateName | "Missing" {
    const key = this.#key(keyArn);
    return key ? keyState(key) : "Missing";
  }

  /**
   * A cryptographic operation KMS performed for the service, recorded as the key's use (GetKeyLastUsage) as the
   * caller's own call is: "the last successful cryptographic operation performed with a specified KMS key", whoever
   * asked [M-KMS GetKeyLastUsage]. Each call the service makes is a KMS request of its own, so it has its own
   * request id (*decided*: not the Neptune request's, which is another service's request).
   */
  #used<T>(operation: KeyLastUsageTrackingOperation, output: T): T {
    recordKeyUses(this.env, operation, idUuid("kmsRequestViaService"), output);
    return output;
  }

  #call(request: { principal: Principal; region: string; viaService: ViaService }): KmsCall {
    return { env: this.env, principal: request.principal, region: request.region, viaService: request.viaService };
  }
}

function resolved(key: KeyRecord): ResolvedKey {
  return {
    keyArn: key.Arn,
    keyId: key.KeyId,
    accountId: key.AccountId,
    region: key.Region,
    awsManaged: key.KeyManager === "AWS",
  };
}

/** KMS's error codes, as the reasons a service reports. */
const FAILURES: Record<string, KeyAccessFailure> = {
  NotFoundException: "not-found",
  InvalidArnException: "not-found",
  AccessDeniedException: "access-denied",
  DisabledException: "disabled",
  KMSInvalidStateException: "pending-deletion",
  InvalidCiphertextException: "invalid-ciphertext",
  IncorrectKeyException: "invalid-ciphertext",
};

function asKeyAccess<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    const reason = error instanceof AwsError ? FAILURES[error.code] : undefined;
    if (reason && error instanceof AwsError) throw new KeyAccessError(reason, error.message || error.code);
    throw error;
  }
}
