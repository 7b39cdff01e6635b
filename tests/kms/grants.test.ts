import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  PutKeyPolicyCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type GrantConstraints,
  type GrantOperation,
} from "@aws-sdk/client-kms";
import { A, B, REGION, inProcess, rejection } from "../helpers/harness.js";
import { ownerStatement, policyOf } from "../helpers/seed.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";

const B_ADMIN = `arn:aws:iam::${B}:user/admin`;
const A_READER = `arn:aws:iam::${A}:user/reader`;

/** A key of A with the default policy: B is not in it, so only grants can let B in. */
async function setup() {
  const env = inProcess({ config: KMS_CONFIG });
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({}));
  return { ...env, key: KeyMetadata! };
}

describe("KMS grants", () => {
  test("a grant really authorizes the grantee, across accounts, for its operations only", async () => {
    const { a, b, key } = await setup();
    const denied = await rejection(() =>
      b.kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("x") })),
    );
    assert.equal(denied.name, "AccessDeniedException");

    const { GrantId, GrantToken } = await a.kms.send(
      new CreateGrantCommand({
        KeyId: key.KeyId,
        GranteePrincipal: B_ADMIN,
        Operations: ["Encrypt", "Decrypt"],
        Name: "b-use",
      }),
    );
    assert.match(GrantId!, /^[0-9a-f]{64}$/);
    assert.ok(GrantToken);
    const encrypted = await b.kms.send(
      new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("granted"), GrantTokens: [GrantToken!] }),
    );
    assert.equal(
      Buffer.from(
        (await b.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }))).Plaintext!,
      ).toString(),
      "granted",
    );
    const describe = await rejection(() => b.kms.send(new DescribeKeyCommand({ KeyId: key.Arn })));
    assert.equal(describe.name, "AccessDeniedException");

    const { Grants, Truncated } = await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }));
    assert.equal(Truncated, false);
    assert.equal(Grants!.length, 1);
    const [grant] = Grants!;
    assert.equal(grant!.KeyId, key.Arn);
    assert.equal(grant!.GrantId, GrantId);
    assert.equal(grant!.Name, "b-use");
    assert.equal(grant!.GranteePrincipal, B_ADMIN);
    assert.equal(grant!.IssuingAccount, `arn:aws:iam::${A}:root`);
    assert.deepEqual(grant!.Operations, ["Encrypt", "Decrypt"]);
    assert.ok(grant!.CreationDate instanceof Date);
  });

  test("Name makes CreateGrant idempotent: same parameters, same GrantId, a new token", async () => {
    const { a, key } = await setup();
    const input = { KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Decrypt" as const], Name: "once" };
    const first = await a.kms.send(new CreateGrantCommand(input));
    const second = await a.kms.send(new CreateGrantCommand(input));
    assert.equal(second.GrantId, first.GrantId);
    assert.notEqual(second.GrantToken, first.GrantToken);
    const different = await a.kms.send(new CreateGrantCommand({ ...input, Operations: ["Encrypt"] }));
    assert.notEqual(different.GrantId, first.GrantId);
    const unnamed1 = await a.kms.send(new CreateGrantCommand({ ...input, Name: undefined }));
    const unnamed2 = await a.kms.send(new CreateGrantCommand({ ...input, Name: undefined }));
    assert.notEqual(unnamed1.GrantId, unnamed2.GrantId);
    assert.equal((await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!.length, 4);
  });

  test("encryption context constraints limit what the grant allows", async () => {
    const { a, b, key } = await setup();
    await a.kms.send(
      new CreateGrantCommand({
        KeyId: key.KeyId,
        GranteePrincipal: B_ADMIN,
        Operations: ["Encrypt"],
        Constraints: { EncryptionContextSubset: { cluster: "graph-1" } },
      }),
    );
    assert.ok(
      await b.kms.send(
        new EncryptCommand({
          KeyId: key.Arn,
          Plaintext: Buffer.from("x"),
          EncryptionContext: { cluster: "graph-1", extra: "y" },
        }),
      ),
    );
    const error = await rejection(() =>
      b.kms.send(
        new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("x"), EncryptionContext: { cluster: "graph-2" } }),
      ),
    );
    assert.equal(error.name, "AccessDeniedException");
    const listed = (await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!;
    assert.deepEqual(listed[0]!.Constraints, { EncryptionContextSubset: { cluster: "graph-1" } });
  });

  test("RevokeGrant takes the permission away at once", async () => {
    const { a, b, key } = await setup();
    const { GrantId } = await a.kms.send(
      new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Encrypt"] }),
    );
    assert.ok(await b.kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("x") })));
    await a.kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId }));
    assert.equal(
      (await rejection(() => b.kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("x") })))).name,
      "AccessDeniedException",
    );
    const again = await rejection(() => a.kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId })));
    assert.equal(again.name, "NotFoundException");
    const malformed = await rejection(() => a.kms.send(new RevokeGrantCommand({ KeyId: key.KeyId, GrantId: "nope" })));
    assert.equal(malformed.name, "InvalidGrantIdException");
  });

  test("RetireGrant: by the retiring principal with the token, by the grantee when allowed, not by others", async () => {
    const { a, b, clientsFor, key } = await setup();
    const byToken = await a.kms.send(
      new CreateGrantCommand({
        KeyId: key.KeyId,
        GranteePrincipal: B_ADMIN,
        RetiringPrincipal: A_READER,
        Operations: ["Decrypt"],
      }),
    );
    const retirable = await a.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: A_READER }));
    assert.deepEqual(
      retirable.Grants!.map((g) => g.GrantId),
      [byToken.GrantId],
    );
    const notRetiring = await rejection(() => b.kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken })));
    assert.equal(notRetiring.name, "AccessDeniedException");
    assert.equal(
      notRetiring.message,
      `User: ${B_ADMIN} is not authorized to perform: kms:RetireGrant on resource: ${key.Arn} because no resource-based policy allows the kms:RetireGrant action`,
    );
    await clientsFor(USERS.aReader).kms.send(new RetireGrantCommand({ GrantToken: byToken.GrantToken }));
    assert.deepEqual((await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);

    const byGrantee = await a.kms.send(
      new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Decrypt", "RetireGrant"] }),
    );
    await b.kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId: byGrantee.GrantId }));
    assert.deepEqual((await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
  });

  test("RetireGrant: an explicit Deny in the caller's IAM policy stops even the grant's retiring principal", async () => {
    const { a, clientsFor, key } = await setup();
    const deniedUser = `arn:aws:iam::${B}:user/denied`;
    const { GrantToken } = await a.kms.send(
      new CreateGrantCommand({
        KeyId: key.KeyId,
        GranteePrincipal: B_ADMIN,
        RetiringPrincipal: deniedUser,
        Operations: ["Decrypt"],
      }),
    );
    const error = await rejection(() => clientsFor(USERS.bDenied).kms.send(new RetireGrantCommand({ GrantToken })));
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: ${deniedUser} is not authorized to perform: kms:RetireGrant on resource: ${key.Arn} with an explicit deny in an identity-based policy`,
    );
    assert.equal((await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants!.length, 1);
  });

  test("RetireGrant: a key policy can't allow it; the account that created the grant retires through IAM", async () => {
    const { a, b, clientsFor, key } = await setup();
    // A's key policy allows B's admin everything, directly: still no way to retire a grant that does not name B.
    const everything = { Effect: "Allow", Principal: { AWS: B_ADMIN }, Action: "kms:*", Resource: "*" };
    await a.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policyOf(ownerStatement(), everything) }));
    const { GrantId } = await a.kms.send(
      new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: A_READER, Operations: ["Decrypt"] }),
    );
    const byB = await rejection(() => b.kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId })));
    assert.equal(byB.name, "AccessDeniedException");
    assert.equal(byB.$metadata?.httpStatusCode, 400);
    assert.equal(
      byB.message,
      `User: ${B_ADMIN} is not authorized to perform: kms:RetireGrant on resource: ${key.Arn} because no resource-based policy allows the kms:RetireGrant action`,
    );
    // The grantee without RetireGrant is just a user of the issuing account: its IAM policy must allow it.
    const byReader = await rejection(() =>
      clientsFor(USERS.aReader).kms.send(new RetireGrantCommand({ KeyId: key.Arn, GrantId })),
    );
    assert.equal(
      byReader.message,
      `User: ${A_READER} is not authorized to perform: kms:RetireGrant on resource: ${key.Arn} because no identity-based policy allows the kms:RetireGrant action`,
    );
    await a.kms.send(new RetireGrantCommand({ KeyId: key.KeyId, GrantId }));
    assert.deepEqual((await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
  });

  test("a grant's CreateGrant creates only grants as restrictive as itself: its operations, its constraints or stricter", async () => {
    const { a, b, key } = await setup();
    const parent = { EncryptionContextSubset: { app: "graph" } };
    await a.kms.send(
      new CreateGrantCommand({
        KeyId: key.KeyId,
        GranteePrincipal: B_ADMIN,
        Operations: ["Decrypt", "CreateGrant"],
        Constraints: parent,
      }),
    );
    const child = (Operations: GrantOperation[], Constraints?: GrantConstraints) =>
      b.kms.send(new CreateGrantCommand({ KeyId: key.Arn, GranteePrincipal: A_READER, Operations, Constraints }));
    const wider: [GrantOperation[], GrantConstraints | undefined][] = [
      [["Encrypt"], parent],
      [["Decrypt"], undefined],
      [["Decrypt"], { EncryptionContextSubset: { app: "other" } }],
      [["Decrypt"], { EncryptionContextEquals: { tier: "gold" } }],
    ];
    for (const [operations, constraints] of wider) {
      const error = await rejection(() => child(operations, constraints));
      assert.equal(error.name, "AccessDeniedException", JSON.stringify([operations, constraints]));
      assert.equal(
        error.message,
        `User: ${B_ADMIN} is not authorized to perform: kms:CreateGrant on resource: ${key.Arn} because no resource-based policy allows the kms:CreateGrant action`,
      );
    }
    await child(["Decrypt", "CreateGrant"], parent);
    await child(["Decrypt"], { EncryptionContextSubset: { app: "graph", tier: "gold" } });
    await child(["Decrypt"], { EncryptionContextEquals: { app: "graph", tier: "gold" } });

    // EncryptionContextEquals may not widen back into a subset.
    const { KeyMetadata: other } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(
      new CreateGrantCommand({
        KeyId: other!.KeyId,
        GranteePrincipal: B_ADMIN,
        Operations: ["Decrypt", "CreateGrant"],
        Constraints: { EncryptionContextEquals: { app: "graph" } },
      }),
    );
    const reverse = await rejection(() =>
      b.kms.send(
        new CreateGrantCommand({
          KeyId: other!.Arn,
          GranteePrincipal: A_READER,
          Operations: ["Decrypt"],
          Constraints: { EncryptionContextSubset: { app: "graph" } },
        }),
      ),
    );
    assert.equal(reverse.name, "AccessDeniedException");
    await b.kms.send(
      new CreateGrantCommand({
        KeyId: other!.Arn,
        GranteePrincipal: A_READER,
        Operations: ["Decrypt"],
        Constraints: { EncryptionContextEquals: { app: "graph" } },
      }),
    );
  });

  test("grant checks: operations of other key kinds, principals, aliases, tokens, key state, DryRun", async () => {
    const { a, key } = await setup();
    const sign = await rejection(() =>
      a.kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Sign"] })),
    );
    assert.equal(sign.name, "ValidationException");
    const principal = await rejection(() =>
      a.kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: "someone", Operations: ["Decrypt"] })),
    );
    assert.equal(principal.name, "InvalidArnException");
    const alias = await rejection(() =>
      a.kms.send(
        new CreateGrantCommand({
          KeyId: `arn:aws:kms:${REGION}:${A}:alias/k`,
          GranteePrincipal: B_ADMIN,
          Operations: ["Decrypt"],
        }),
      ),
    );
    assert.equal(alias.name, "InvalidArnException");
    assert.equal(alias.message, "Key Aliases are not supported for this operation.");
    const token = await rejection(() =>
      a.kms.send(
        new CreateGrantCommand({
          KeyId: key.KeyId,
          GranteePrincipal: B_ADMIN,
          Operations: ["Decrypt"],
          GrantTokens: ["bogus"],
        }),
      ),
    );
    assert.equal(token.name, "InvalidGrantTokenException");
    const dryRun = await rejection(() =>
      a.kms.send(
        new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Decrypt"], DryRun: true }),
      ),
    );
    assert.equal(dryRun.name, "DryRunOperationException");
    assert.deepEqual((await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }))).Grants, []);
    await a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    const disabled = await rejection(() =>
      a.kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Decrypt"] })),
    );
    assert.equal(disabled.name, "DisabledException");
  });

  test("an explicit deny in the key policy beats a grant", async () => {
    const { a, b, key } = await setup();
    await a.kms.send(new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN, Operations: ["Encrypt"] }));
    const deny = { Effect: "Deny", Principal: { AWS: B_ADMIN }, Action: "kms:Encrypt", Resource: "*" };
    await a.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policyOf(ownerStatement(), deny) }));
    const error = await rejection(() =>
      b.kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("x") })),
    );
    assert.match(error.message, /with an explicit deny in a resource-based policy$/);
  });

  test("ListGrants filters by GrantId and GranteePrincipal and paginates", async () => {
    const { a, clock, key } = await setup();
    const ids: string[] = [];
    for (const grantee of [B_ADMIN, A_READER, B_ADMIN]) {
      ids.push(
        (
          await a.kms.send(
            new CreateGrantCommand({ KeyId: key.KeyId, GranteePrincipal: grantee, Operations: ["Decrypt"] }),
          )
        ).GrantId!,
      );
      clock.advance(1000);
    }
    assert.deepEqual(
      (await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId, GranteePrincipal: B_ADMIN }))).Grants!.map(
        (g) => g.GrantId,
      ),
      [ids[0], ids[2]],
    );
    assert.deepEqual(
      (await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId, GrantId: ids[1] }))).Grants!.map((g) => g.GrantId),
      [ids[1]],
    );
    const first = await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId, Limit: 2 }));
    assert.equal(first.Truncated, true);
    const rest = await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId, Limit: 2, Marker: first.NextMarker }));
    assert.deepEqual(
      [...first.Grants!, ...rest.Grants!].map((g) => g.GrantId),
      ids,
    );
  });
});
