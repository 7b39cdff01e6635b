import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from "jose";
import { oidcProviderForIssuer, type OidcProviderRecord } from "../../domain/iam/oidc-providers.js";
import type { IamState } from "../../domain/iam/state.js";
import { AwsError, modelError } from "../../protocol/errors.js";
import { stsModel } from "./shared.js";

/** A web identity token whose signature, issuer, audience and lifetime were checked. */
export interface VerifiedWebIdentity {
  provider: OidcProviderRecord;
  claims: JWTPayload;
  /** The client id the token is for: `azp` when the token has one, else the `aud` that matched. */
  audience: string;
}

function invalid(message: string): AwsError {
  return modelError(stsModel, "InvalidIdentityTokenException", message);
}

/**
 * Checks a web identity token as STS does [IAM User Guide: OIDC federation; STS API Reference:
 * AssumeRoleWithWebIdentity], in this order: it is a JWT; its `iss` names an OIDC provider of the role's account
 * (the provider's URL, https:// and all); its signature verifies with the provider's keys (registered with Trident,
 * oidc-jwks.ts); it has not expired (now from the emulator's clock); its audience is one of the provider's client
 * ids. The messages are AWS's, as its clients quote them.
 */
export async function verifyWebIdentityToken(
  iam: IamState,
  accountId: string,
  token: string,
  now: Date,
): Promise<VerifiedWebIdentity> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  }
  const issuer = typeof unverified.iss === "string" ? unverified.iss : "";
  const provider = oidcProviderForIssuer(iam, accountId, issuer);
  if (!provider) throw invalid(`No OpenIDConnect provider found in your account for ${issuer}`);
  if (!provider.jwks) {
    throw invalid(
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  }
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createLocalJWKSet(provider.jwks), { currentDate: now }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      const expiry = typeof unverified.exp === "number" ? unverified.exp : 0;
      throw modelError(
        stsModel,
        "ExpiredTokenException",
        `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${expiry}`,
      );
    }
    // A signature that does not verify, a key id the provider does not have, a token not yet valid.
    throw invalid(
      "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.",
    );
  }
  const audiences = typeof claims.aud === "string" ? [claims.aud] : (claims.aud ?? []);
  const matched = audiences.find((aud) => provider.ClientIDList.includes(aud));
  if (matched === undefined) throw invalid("Incorrect token audience");
  return { provider, claims, audience: typeof claims.azp === "string" ? claims.azp : matched };
}
