import type { IdentityRegistry } from "../../auth/identities.js";
import type { Principal } from "../../auth/principal.js";
import type { Clock } from "../../state/clock.js";
import type { Store } from "../../state/store.js";

/** What the KMS domain needs from the emulator: state, time and the IAM side. The Emulator satisfies it. */
export interface KmsEnv {
  readonly store: Store;
  readonly clock: Clock;
  readonly identities: IdentityRegistry;
}

/** A service that calls KMS on a caller's behalf (kms:ViaService = `<service>.<region>.amazonaws.com`). */
export type ViaService = "rds";

/**
 * One KMS request: who asks, in which region, and whether a service asks for them. Every domain function takes
 * one, so that an API call and a call made "via" RDS go through the very same checks.
 */
export interface KmsCall {
  env: KmsEnv;
  principal: Principal;
  region: string;
  viaService?: ViaService;
  /** The RSA private key this request made before its turn, for CreateKey and GenerateDataKeyPair (key-generation.ts). */
  keyPairMadeAhead?: Buffer;
}

/** The value of kms:ViaService for a service in a region [KMS-COND]. */
export function viaServiceEndpoint(service: ViaService, region: string): string {
  return `${service}.${region}.amazonaws.com`;
}
