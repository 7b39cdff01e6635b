import type { StsOperations } from "../../generated/sts.js";
import { modelError } from "../../protocol/errors.js";
import type { HandlerMap } from "../service.js";
import { notAuthorized, stsModel } from "./shared.js";

/**
 * The operations that need something Trident's accounts never have, answered as AWS answers a caller whose account
 * is not set up for them (the wordings are decided: AWS documents the errors, not their text).
 */
/** Why each operation below is refused: what it needs that Trident's accounts never have (read by docs/coverage.md). */
export const NOT_SET_UP: Record<string, string> = {
  AssumeRoot:
    "it needs an AWS Organizations management account with centralized root access; Trident has no Organizations",
  GetDelegatedAccessToken: "its trade-in token comes from an AWS delegated-access request, which Trident never issues",
  GetWebIdentityToken:
    "outbound web identity federation needs iam:EnableOutboundWebIdentityFederation, which Trident's IAM does not offer",
};

export const notSetUpHandlers: HandlerMap<StsOperations> = {
  // AssumeRoot needs an AWS Organizations management account (or delegated administrator) with centralized root
  // access enabled [IAM User Guide: centralized root access for member accounts]; Trident has no Organizations, so
  // no caller is allowed it on any member account's root.
  AssumeRoot: (input, { principal }) => {
    const target = /^\d{12}$/.test(input.TargetPrincipal)
      ? `arn:aws:iam::${input.TargetPrincipal}:root`
      : input.TargetPrincipal;
    throw notAuthorized(principal, "sts:AssumeRoot", target);
  },

  // A trade-in token comes from an AWS delegated-access request that Trident never issues: none is valid.
  GetDelegatedAccessToken: () => {
    throw modelError(stsModel, "ExpiredTradeInTokenException", "The trade-in token is expired or not valid.");
  },

  // Outbound web identity federation is off until the account enables it (iam:EnableOutboundWebIdentityFederation),
  // which Trident's IAM does not offer.
  GetWebIdentityToken: () => {
    throw modelError(
      stsModel,
      "OutboundWebIdentityFederationDisabledException",
      "Outbound web identity federation is disabled for this account.",
    );
  },
};
