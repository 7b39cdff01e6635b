import type { StsOperations } from "../../generated/sts.js";
import type { HandlerMap } from "../service.js";
import { federatedRoleAccount, issueRoleSession } from "./role-session.js";

const ACTION = "sts:AssumeRoleWithWebIdentity";

export const webIdentityHandlers: HandlerMap<StsOperations> = {
  // Unsigned (the model's `authtype: none`): the token is the proof of who calls.
  AssumeRoleWithWebIdentity: async (input, { emulator, now }) => {
    const accountId = federatedRoleAccount(input.RoleArn, ACTION);
    // JWT verification (jose) is loaded on the first such call, not with STS (services/registry.ts).
    const { verifyWebIdentityToken } = await import("./web-identity-token.js");
    const token = await verifyWebIdentityToken(emulator.identities.seeded(), accountId, input.WebIdentityToken, now);
    const { provider, claims, audience } = token;
    const sub = typeof claims.sub === "string" ? claims.sub : undefined;
    // The condition keys a trust policy can test: `<provider URL without https://>:aud|oaud|sub|amr` [IAM User
    // Guide: available keys for OIDC federation]; `aud` is the azp when the token has one, `oaud` its aud.
    const key = provider.Url;
    const session = issueRoleSession({
      emulator,
      input,
      caller: { federated: provider.Arn },
      action: ACTION,
      context: {
        "aws:FederatedProvider": provider.Arn,
        [`${key}:aud`]: audience,
        [`${key}:oaud`]: claims.aud,
        [`${key}:sub`]: sub,
        [`${key}:amr`]: Array.isArray(claims.amr) ? claims.amr.map(String) : undefined,
        "sts:RoleSessionName": input.RoleSessionName,
      },
    });
    return {
      ...session,
      SubjectFromWebIdentityToken: sub,
      // The IAM provider's ARN, as real answers show it for IAM OIDC providers (EKS service accounts, GitHub
      // Actions: "Provider": "arn:aws:iam::…:oidc-provider/token.actions.githubusercontent.com").
      Provider: provider.Arn,
      Audience: audience,
    };
  },
};
