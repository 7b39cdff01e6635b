import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  AssumeRootCommand,
  DecodeAuthorizationMessageCommand,
  GetDelegatedAccessTokenCommand,
  GetWebIdentityTokenCommand,
} from "@aws-sdk/client-sts";
import { A, ADMIN, B, errorOf, rejection } from "../helpers/harness.js";
import { allow, iamWorld, userWithKey } from "../iam/fixture.js";

describe("STS DecodeAuthorizationMessage", () => {
  /** A refusal of `plain` in A, encoded as a service that encodes its refusals would. */
  function encodedRefusal(world: ReturnType<typeof iamWorld>) {
    return world.emulator.authorizationMessages.encode({
      allowed: false,
      explicitDeny: false,
      principal: { accountId: A, arn: `arn:aws:iam::${A}:user/plain`, userId: "AIDAPLAIN", kind: "user" },
      action: "kms:CreateKey",
      resource: "*",
      context: { "aws:PrincipalAccount": A, "aws:MultiFactorAuthPresent": false },
    });
  }

  test("a message Trident encoded decodes to AWS's JSON shape, with the permission", async () => {
    const world = iamWorld();
    const encoded = encodedRefusal(world);
    const { DecodedMessage } = await world.admin.sts.send(
      new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }),
    );
    assert.deepEqual(JSON.parse(DecodedMessage!), {
      allowed: false,
      explicitDeny: false,
      matchedStatements: { items: [] },
      failures: { items: [] },
      context: {
        principal: { id: "AIDAPLAIN", name: "plain", arn: `arn:aws:iam::${A}:user/plain` },
        action: "kms:CreateKey",
        resource: "*",
        conditions: {
          items: [
            { key: "aws:PrincipalAccount", values: { items: [{ value: A }] } },
            { key: "aws:MultiFactorAuthPresent", values: { items: [{ value: "false" }] } },
          ],
        },
      },
    });

    // Without sts:DecodeAuthorizationMessage the caller learns nothing; with it, it decodes.
    const plain = await userWithKey(world, "plain");
    const refused = await rejection(() =>
      plain.sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })),
    );
    assert.equal(refused.name, "AccessDenied");
    assert.equal(refused.$metadata?.httpStatusCode, 403);
    assert.equal(
      refused.message,
      `User: arn:aws:iam::${A}:user/plain is not authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy allows the sts:DecodeAuthorizationMessage action`,
    );
    await world.admin.iam.send(
      new PutUserPolicyCommand({
        UserName: "plain",
        PolicyName: "p",
        PolicyDocument: allow(["sts:DecodeAuthorizationMessage"]),
      }),
    );
    const decoded = await plain.sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
    assert.equal(JSON.parse(decoded.DecodedMessage!).context.action, "kms:CreateKey");
  });

  test("garbage, a tampered message and another account's message are InvalidAuthorizationMessageException", async () => {
    const world = iamWorld();
    const encoded = encodedRefusal(world);
    const tampered = encoded.slice(0, 20) + (encoded[20] === "A" ? "B" : "A") + encoded.slice(21);
    for (const message of ["not-a-message", tampered]) {
      const response = await world.raw({
        service: "sts",
        params: { Action: "DecodeAuthorizationMessage", Version: "2011-06-15", EncodedMessage: message },
      });
      assert.equal(response.status, 400);
      assert.deepEqual(errorOf(response.body), {
        code: "InvalidAuthorizationMessageException",
        message: "The encoded authorization message is invalid.",
      });
    }
    const other = await rejection(() =>
      world.clients(ADMIN[B]!).sts.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })),
    );
    assert.equal(other.name, "InvalidAuthorizationMessageException");
  });
});

describe("STS operations an account is not set up for", () => {
  test("AssumeRoot, GetDelegatedAccessToken and GetWebIdentityToken answer as to an account without them", async () => {
    const world = iamWorld();
    const root = await rejection(() =>
      world.admin.sts.send(
        new AssumeRootCommand({
          TargetPrincipal: B,
          TaskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" },
        }),
      ),
    );
    assert.equal(root.name, "AccessDenied");
    assert.equal(root.$metadata?.httpStatusCode, 403);
    assert.equal(
      root.message,
      `User: arn:aws:iam::${A}:user/admin is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::${B}:root`,
    );

    const delegated = await rejection(() =>
      world.admin.sts.send(new GetDelegatedAccessTokenCommand({ TradeInToken: "x".repeat(64) })),
    );
    assert.equal(delegated.name, "ExpiredTradeInTokenException");
    assert.equal(delegated.$metadata?.httpStatusCode, 400);

    const outbound = await rejection(() =>
      world.admin.sts.send(
        new GetWebIdentityTokenCommand({ Audience: ["https://example.com"], SigningAlgorithm: "RS256" }),
      ),
    );
    assert.equal(outbound.name, "OutboundWebIdentityFederationDisabledException");
    assert.equal(outbound.$metadata?.httpStatusCode, 403);
    assert.equal(outbound.message, "Outbound web identity federation is disabled for this account.");
  });
});
