import type { StsOperations } from "../../generated/sts.js";
import { modelError } from "../../protocol/errors.js";
import type { HandlerMap } from "../service.js";
import { federatedRefusal, federatedRoleAccount, issueRoleSession } from "./role-session.js";
import { stsModel } from "./shared.js";

const ACTION = "sts:AssumeRoleWithSAML";

export const samlHandlers: HandlerMap<StsOperations> = {
  // Unsigned (the model's `authtype: none`): the signed assertion is the proof of who calls.
  AssumeRoleWithSAML: async (input, { emulator, now }) => {
    const accountId = federatedRoleAccount(input.RoleArn, ACTION);
    // XML signature checking (xml-crypto) is loaded on the first such call, not with STS (services/registry.ts).
    const { verifySamlAssertion } = await import("./saml-assertion.js");
    const assertion = verifySamlAssertion(
      emulator.identities.seeded(),
      accountId,
      input.PrincipalArn,
      input.SAMLAssertion,
      now,
    );
    // The Role attribute lists `role-arn,provider-arn` pairs (either order); the one asked for must be among them.
    const listed = assertion.roles.some(
      (pair) => pair.length === 2 && pair.includes(input.RoleArn) && pair.includes(input.PrincipalArn),
    );
    if (!listed) throw federatedRefusal(ACTION);
    // AWS's words, as its clients quote them ("RoleSessionName is required in AuthnResponse", InvalidIdentityToken).
    if (assertion.sessionName === undefined) {
      throw modelError(stsModel, "InvalidIdentityTokenException", "RoleSessionName is required in AuthnResponse");
    }
    const session = issueRoleSession({
      emulator,
      input: { ...input, RoleSessionName: assertion.sessionName },
      caller: { federated: assertion.provider.Arn },
      action: ACTION,
      // The SAML condition keys [IAM User Guide: available keys for SAML-based federation]; `saml:aud` is the
      // Recipient, "not the Audience field".
      context: {
        "saml:aud": assertion.recipient,
        "saml:iss": assertion.issuer,
        "saml:sub": assertion.subject,
        "saml:sub_type": assertion.subjectType,
        "saml:namequalifier": assertion.nameQualifier,
      },
    });
    return {
      ...session,
      Subject: assertion.subject,
      SubjectType: assertion.subjectType,
      Issuer: assertion.issuer,
      Audience: assertion.recipient,
      NameQualifier: assertion.nameQualifier,
    };
  },
};
