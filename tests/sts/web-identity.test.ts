import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { A, rejection } from "../helpers/harness.js";
import { federatedTrust, iamWorld } from "../iam/fixture.js";

const ISSUER = "https://idp.example.com";
const PROVIDER_ARN = `arn:aws:iam::${A}:oidc-provider/idp.example.com`;
const ROLE_ARN = `arn:aws:iam::${A}:role/ci`;

/** An OIDC provider whose keys are registered with Trident, a role trusting it for one subject, and a token maker. */
async function world() {
  const env = iamWorld();
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  await env.admin.iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: ISSUER,
      ClientIDList: ["sts.amazonaws.com"],
      Tags: [
        { Key: "team", Value: "ci" },
        { Key: "trident:jwks", Value: JSON.stringify({ keys: [jwk] }) },
      ],
    }),
  );
  const trust = federatedTrust(PROVIDER_ARN, "sts:AssumeRoleWithWebIdentity", {
    StringEquals: { "idp.example.com:aud": "sts.amazonaws.com", "idp.example.com:sub": "repo:trident:main" },
  });
  await env.admin.iam.send(new CreateRoleCommand({ RoleName: "ci", AssumeRolePolicyDocument: trust }));
  const seconds = () => Math.floor(env.clock.now().getTime() / 1000);
  const token = (claims: JWTPayload = {}, key = privateKey) =>
    new SignJWT({ iss: ISSUER, aud: "sts.amazonaws.com", sub: "repo:trident:main", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuedAt(seconds())
      .setExpirationTime(seconds() + 600)
      .sign(key);
  const assume = (webIdentityToken: string) =>
    env.unsignedSts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: ROLE_ARN,
        RoleSessionName: "build-42",
        WebIdentityToken: webIdentityToken,
      }),
    );
  return { env, token, assume };
}

describe("STS AssumeRoleWithWebIdentity against IAM OIDC providers", () => {
  test("a token signed with the provider's registered key assumes the role", async () => {
    const { env, token, assume } = await world();
    const answer = await assume(await token());
    assert.equal(answer.SubjectFromWebIdentityToken, "repo:trident:main");
    assert.equal(answer.Audience, "sts.amazonaws.com");
    assert.equal(answer.Provider, PROVIDER_ARN);
    assert.equal(answer.AssumedRoleUser!.Arn, `arn:aws:sts::${A}:assumed-role/ci/build-42`);
    assert.match(answer.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z0-9]+:build-42$/);
    assert.equal(answer.Credentials!.Expiration!.getTime(), env.clock.now().getTime() + 3_600_000);
    const session = env.clients({
      accessKeyId: answer.Credentials!.AccessKeyId!,
      secretAccessKey: answer.Credentials!.SecretAccessKey!,
      sessionToken: answer.Credentials!.SessionToken!,
    });
    const who = await session.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${A}:assumed-role/ci/build-42`);
  });

  test("wrong key, wrong audience, wrong issuer, expired, not a JWT: AWS's codes and messages", async () => {
    const { env, token, assume } = await world();
    const other = await generateKeyPair("RS256");
    const cases: [string, () => Promise<string>, string, string][] = [
      [
        "wrong key",
        () => token({}, other.privateKey),
        "InvalidIdentityTokenException",
        "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.",
      ],
      ["wrong aud", () => token({ aud: "someone-else" }), "InvalidIdentityTokenException", "Incorrect token audience"],
      [
        "wrong iss",
        () => token({ iss: "https://other.example.com" }),
        "InvalidIdentityTokenException",
        "No OpenIDConnect provider found in your account for https://other.example.com",
      ],
      [
        "not a JWT",
        async () => "not-a-token",
        "InvalidIdentityTokenException",
        "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
      ],
    ];
    for (const [what, make, name, message] of cases) {
      const refused = await rejection(async () => assume(await make()));
      assert.equal(refused.name, name, what);
      assert.equal(refused.message, message, what);
      assert.equal(refused.$metadata?.httpStatusCode, 400, what);
    }
    const early = await token();
    env.clock.advance(601_000);
    const expired = await rejection(() => assume(early));
    assert.equal(expired.name, "ExpiredTokenException");
    assert.match(
      expired.message,
      /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/,
    );
  });

  test("the trust policy's condition on sub is enforced", async () => {
    const { env, token, assume } = await world();
    const refused = await rejection(async () => assume(await token({ sub: "repo:someone:main" })));
    assert.equal(refused.name, "AccessDenied");
    assert.equal(refused.$metadata?.httpStatusCode, 403);
    assert.equal(refused.message, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    // A RoleArn that names no role is refused the same way, before any provider is looked up.
    const notRole = await rejection(async () =>
      env.unsignedSts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${A}:user/someone`,
          RoleSessionName: "build-42",
          WebIdentityToken: await token(),
        }),
      ),
    );
    assert.equal(notRole.name, "AccessDenied");
    assert.equal(notRole.message, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  });

  test("client ids added and removed decide which audiences are accepted; thumbprints are replaced", async () => {
    const { env, token, assume } = await world();
    const other = { aud: "my-app" };
    const before = await rejection(async () => assume(await token(other)));
    assert.equal(before.message, "Incorrect token audience");
    await env.admin.iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN, ClientID: "my-app" }),
    );
    await env.admin.iam.send(
      new UpdateOpenIDConnectProviderThumbprintCommand({
        OpenIDConnectProviderArn: PROVIDER_ARN,
        ThumbprintList: ["a".repeat(40)],
      }),
    );
    const got = await env.admin.iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }),
    );
    assert.deepEqual(got.ClientIDList, ["sts.amazonaws.com", "my-app"]);
    assert.deepEqual(got.ThumbprintList, ["a".repeat(40)]);
    // The token is for my-app now; the trust policy still asks for sts.amazonaws.com as aud.
    const trust = await rejection(async () => assume(await token(other)));
    assert.equal(trust.message, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    await env.admin.iam.send(
      new RemoveClientIDFromOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: PROVIDER_ARN,
        ClientID: "sts.amazonaws.com",
      }),
    );
    const removed = await rejection(async () => assume(await token()));
    assert.equal(removed.message, "Incorrect token audience");
  });

  test("keys are rotated with TagOpenIDConnectProvider and dropped with UntagOpenIDConnectProvider", async () => {
    const { env, token, assume } = await world();
    const next = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(next.publicKey)), kid: "k1", alg: "RS256" };
    await env.admin.iam.send(
      new TagOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: PROVIDER_ARN,
        Tags: [{ Key: "trident:jwks", Value: JSON.stringify({ keys: [jwk] }) }],
      }),
    );
    const old = await rejection(async () => assume(await token()));
    assert.equal(old.name, "InvalidIdentityTokenException");
    await assume(await token({}, next.privateKey));
    await env.admin.iam.send(
      new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN, TagKeys: ["trident:jwks"] }),
    );
    const none = await rejection(async () => assume(await token({}, next.privateKey)));
    assert.match(none.message, /^Couldn't retrieve verification key from your identity provider/);
    const bad = await rejection(() =>
      env.admin.iam.send(
        new TagOpenIDConnectProviderCommand({
          OpenIDConnectProviderArn: PROVIDER_ARN,
          Tags: [
            { Key: "added", Value: "no" },
            { Key: "trident:jwks", Value: "not json" },
          ],
        }),
      ),
    );
    assert.equal(bad.name, "InvalidInputException");
    assert.equal(bad.message, 'The trident:jwks tag must hold a JSON Web Key Set: {"keys": [...]}.');
    const tags = await env.admin.iam.send(
      new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }),
    );
    assert.deepEqual(tags.Tags, [{ Key: "team", Value: "ci" }]); // the refused request changed nothing
  });

  test("IAM's OIDC provider API: get, list, tags without the key extension, delete", async () => {
    const { env, token, assume } = await world();
    const got = await env.admin.iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }),
    );
    assert.equal(got.Url, "idp.example.com");
    assert.deepEqual(got.ClientIDList, ["sts.amazonaws.com"]);
    assert.deepEqual(got.Tags, [{ Key: "team", Value: "ci" }]);
    const tags = await env.admin.iam.send(
      new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }),
    );
    assert.deepEqual(tags.Tags, [{ Key: "team", Value: "ci" }]);
    const listed = await env.admin.iam.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(listed.OpenIDConnectProviderList, [{ Arn: PROVIDER_ARN }]);
    const duplicate = await rejection(() =>
      env.admin.iam.send(new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: ["x"] })),
    );
    assert.equal(duplicate.name, "EntityAlreadyExistsException");
    assert.equal(duplicate.message, `Provider with url ${ISSUER} already exists.`);

    await env.admin.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }));
    const gone = await rejection(() =>
      env.admin.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN })),
    );
    assert.equal(gone.name, "NoSuchEntityException");
    assert.equal(gone.message, `OpenIDConnect Provider not found for arn ${PROVIDER_ARN}`);
    const refused = await rejection(async () => assume(await token()));
    assert.equal(refused.message, `No OpenIDConnect provider found in your account for ${ISSUER}`);
  });
});
