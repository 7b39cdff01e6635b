import { DEFAULT_REGION } from "../config/defaults.js";
import type { Emulator } from "../emulator.js";
import { AwsError } from "../protocol/errors.js";
import { rootPrincipal } from "./identities.js";
import type { Principal } from "./principal.js";
import { isServedRegion } from "./regions.js";
import {
  authErrorFor,
  verifySigV4,
  type CredentialFailure,
  type SigV4Credentials,
  type SigV4Failure,
  type SignedRequestParts,
} from "./sigv4.js";

/**
 * The auth stage of the pipeline: who is calling, and in which region, from the request and its SigV4 parameters
 * as `parseSigV4` read them. Order of checks: the SigV4 parameters are
 * present and well-formed, the credential scope names this service and a served region, the access key exists
 * (and carries the session token it was issued with, or none for a long-term key), the token has not expired,
 * then the signature. Nothing is created before all of it passes, so a refused request leaves no state.
 */
export function authenticate(
  emulator: Emulator,
  request: SignedRequestParts,
  creds: SigV4Credentials | SigV4Failure,
  protocol: "query" | "json",
  signingName: string,
  /** The operation is one the model marks `authtype: none` (AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
  unsigned = false,
  /** The emulator's time of the request, when the caller has it already (the pipeline's, shared with its handler). */
  now: Date = emulator.clock.now(),
): { principal: Principal; region: string } {
  if ("kind" in creds) {
    // Called without credentials: the token or assertion in the request is the proof [M-STS: `authtype: none`].
    if (unsigned && creds.kind === "missing") return { principal: ANONYMOUS, region: UNSIGNED_REGION };
    if (emulator.relaxedAuth && creds.kind === "missing")
      return { principal: rootPrincipal(emulator.defaultAccount), region: UNSIGNED_REGION };
    return refuse(protocol, creds);
  }
  const scopeFailure = checkCredentialScope(creds.scope, signingName);
  if (scopeFailure) return refuse(protocol, scopeFailure);
  const { region } = creds.scope;

  // Keys the emulator issued or was configured with keep their own identity in every mode.
  const owner = emulator.identities.resolveAccessKey(creds.accessKeyId);
  if (!owner) {
    if (emulator.relaxedAuth && !emulator.identities.wasIssued(creds.accessKeyId))
      return { principal: rootPrincipal(relaxedAccount(emulator, creds.accessKeyId)), region };
    return refuse(protocol, { kind: "unknown-key" });
  }
  // A long-term (AKIA…) key with any session token, or a temporary key with another one, is an invalid token:
  // AWS answers InvalidClientTokenId "The security token included in the request is invalid." [aws-behaviour §1.4].
  if (creds.sessionToken !== owner.sessionToken) return refuse(protocol, { kind: "unknown-key" });
  if (owner.expiration && now >= owner.expiration) return refuse(protocol, { kind: "expired-token" });
  if (!emulator.relaxedAuth) {
    // One clock for both (the default): its time is the request's already.
    const signatureNow = emulator.signatureClock === emulator.clock ? now : emulator.signatureClock.now();
    const failure = verifySigV4(request, creds, owner.secretAccessKey, signatureNow);
    if (failure) return refuse(protocol, failure);
  }
  emulator.identities.recordKeyUse(creds.accessKeyId, signingName, region, now.getTime());
  return { principal: owner.principal, region };
}

/** The request is refused with the protocol's error for `failure`. */
function refuse(protocol: "query" | "json", failure: SigV4Failure | CredentialFailure): never {
  const { code, status, message } = authErrorFor(protocol, failure);
  throw new AwsError(code, message, status);
}

/**
 * Relaxed auth's account model, LocalStack's [docs: "Credentials"; ecosystem.md §1.5]: a 12-digit access key id is
 * that account, any other unknown key (`test`, `AKIAIOSFODNN7EXAMPLE`…) the default account (`--default-account`,
 * 000000000000 as LocalStack's; moto users pass 123456789012). The caller is that account's root, so
 * GetCallerIdentity names the account its resources are created in. *Decided*, unlike LocalStack: an unknown
 * `AKIA…`/`ASIA…` key is not refused as a leaked real key would be; no request leaves this machine anyway.
 */
function relaxedAccount(emulator: Emulator, accessKeyId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : emulator.defaultAccount;
}

/** The caller of an operation that takes no credentials: no account, no identity, no permission. */
const ANONYMOUS: Principal = Object.freeze({
  accountId: "",
  arn: "anonymous",
  userId: "anonymous",
  kind: "anonymous",
  identityPolicies: [],
});

/**
 * An unsigned request under relaxed auth (curl, a tool that sends no credentials) has no credential scope to name
 * its region. *Decided*: us-east-1, the region `trident env` exports and the SDKs' usual default.
 */
const UNSIGNED_REGION = DEFAULT_REGION;

/**
 * The credential scope must name the service the request reached and a region Trident serves (regions.ts).
 * Both refusals are SignatureDoesNotMatch (403; KMS: InvalidSignatureException), in AWS's words: "Credential
 * should be scoped to a valid Region, not region-code" [IAM User Guide, "Troubleshoot signed requests for AWS
 * APIs", credential scope errors]; the wire text quotes the region and ends in ". " (joona/aws-es-curl#15,
 * aws/aws-sdk-ruby#508).
 */
function checkCredentialScope(scope: SigV4Credentials["scope"], signingName: string): SigV4Failure | undefined {
  if (scope.service !== signingName) {
    return { kind: "mismatch", message: `Credential should be scoped to correct service: '${signingName}'. ` };
  }
  if (!isServedRegion(scope.region)) {
    return { kind: "mismatch", message: `Credential should be scoped to a valid region, not '${scope.region}'. ` };
  }
  return undefined;
}
