import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keyPolicyView } from "../../src/console/key-policy-view.js";
import { relationships } from "../../src/console/relationships.js";
import type { AccountDoc, KeyDoc, SnapshotDoc } from "../../src/console/state-view.js";
import { parsePolicy } from "../../src/policy/index.js";

/** The relationship picture's arrows, from account documents: only what crosses between accounts is drawn. */

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const REGION = "us-east-1";

const snapshotArn = (account: string, id: string) => `arn:aws:rds:${REGION}:${account}:cluster-snapshot:${id}`;
const keyArn = (account: string, id: string) => `arn:aws:kms:${REGION}:${account}:key/${id}`;

function snapshot(account: string, id: string, extra: Partial<SnapshotDoc> = {}): SnapshotDoc {
  return {
    region: REGION,
    id,
    arn: snapshotArn(account, id),
    clusterId: "orders-graph",
    type: "manual",
    status: "available",
    percentProgress: 100,
    encrypted: true,
    sharedWith: [],
    createdAt: "2026-11-29T00:00:00.000Z",
    ...extra,
  };
}

function key(account: string, id: string, policy: object, extra: Partial<KeyDoc> = {}): KeyDoc {
  return {
    region: REGION,
    keyId: id,
    arn: keyArn(account, id),
    aliases: [],
    state: "Enabled",
    manager: "CUSTOMER",
    description: "",
    spec: "SYMMETRIC_DEFAULT",
    usage: "ENCRYPT_DECRYPT",
    createdAt: "2026-11-29T00:00:00.000Z",
    policy: keyPolicyView(parsePolicy(JSON.stringify(policy)), account),
    grants: [],
    ...extra,
  };
}

function account(accountId: string, parts: Partial<AccountDoc> = {}): AccountDoc {
  return {
    accountId,
    regions: [REGION],
    clusters: [],
    snapshots: [],
    keys: [],
    iam: { users: [], roles: [] },
    events: [],
    ...parts,
  };
}

const statement = (effect: string, principal: unknown, action: string | string[], condition?: object) => ({
  Effect: effect,
  Principal: principal,
  Action: action,
  Resource: "*",
  ...(condition ? { Condition: condition } : {}),
});
const own = statement("Allow", { AWS: `arn:aws:iam::${A}:root` }, "kms:*");

describe("the relationship picture", () => {
  test("a snapshot shared with B: an arrow from the snapshot in A's box to B; none for a share with the owner", () => {
    const graph = relationships([
      account(A, { snapshots: [snapshot(A, "s1", { sharedWith: [B, A] }), snapshot(A, "private")] }),
      account(B),
    ]);
    assert.deepEqual(graph.edges, [
      {
        id: `share:${snapshotArn(A, "s1")}>${B}`,
        kind: "share",
        from: snapshotArn(A, "s1"),
        to: `account:${B}`,
        label: "may copy s1",
      },
    ]);
    assert.deepEqual(
      graph.nodes.map((n) => [n.id, n.kind, n.parent]),
      [
        [`account:${A}`, "account", undefined],
        [snapshotArn(A, "s1"), "snapshot", `account:${A}`],
        [`account:${B}`, "account", undefined],
      ],
    );
  });

  test("a copy from another account: an arrow from the source snapshot to the copy; a copy of one's own is not drawn", () => {
    const source = snapshotArn(A, "s1");
    const graph = relationships([
      account(A, { snapshots: [snapshot(A, "s1")] }),
      account(B, {
        snapshots: [snapshot(B, "c1", { copiedFrom: source }), snapshot(B, "c2", { copiedFrom: snapshotArn(B, "c1") })],
      }),
    ]);
    assert.deepEqual(
      graph.edges.map((e) => [e.kind, e.from, e.to]),
      [["copy", source, snapshotArn(B, "c1")]],
    );
  });

  test("key access through the policy: Allow of a use action to another account's principal; not Deny, not other actions, not NotAction", () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        own,
        statement("Allow", { AWS: `arn:aws:iam::${B}:root` }, ["kms:Decrypt", "kms:DescribeKey"]),
        statement("Allow", { AWS: C }, "kms:DescribeKey"),
        statement("Deny", { AWS: `arn:aws:iam::${C}:user/x` }, "kms:*"),
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${C}:root` }, NotAction: "kms:Decrypt", Resource: "*" },
      ],
    };
    const graph = relationships([account(A, { keys: [key(A, "k1", policy, { aliases: ["alias/orders"] })] })]);
    assert.deepEqual(
      graph.edges.map((e) => [e.kind, e.from, e.to, e.label]),
      [["key-policy", keyArn(A, "k1"), `account:${B}`, "may use alias/orders (key policy)"]],
    );
  });

  test("wildcard actions count (kms:*, kms:Create*), and a role of B is B", () => {
    const policy = {
      Statement: [own, statement("Allow", { AWS: [`arn:aws:iam::${B}:role/mover`] }, "kms:Create*")],
    };
    const graph = relationships([account(A, { keys: [key(A, "k1", policy)] })]);
    assert.deepEqual(
      graph.edges.map((e) => [e.kind, e.to]),
      [["key-policy", `account:${B}`]],
    );
  });

  test("key access through a grant to another account's principal; a service's grant is not drawn", () => {
    const grants = [
      { grantId: "g1", grantee: `arn:aws:iam::${B}:role/mover`, operations: ["Decrypt"], createdAt: "" },
      { grantId: "g2", grantee: "rds.us-east-1.amazonaws.com", operations: ["Decrypt"], createdAt: "" },
    ];
    const graph = relationships([account(A, { keys: [key(A, "k1", { Statement: [own] }, { grants })] })]);
    assert.deepEqual(
      graph.edges.map((e) => [e.kind, e.to, e.label]),
      [["key-grant", `account:${B}`, "may use k1 (grant: Decrypt)"]],
    );
  });

  test("the key policy view: another account highlighted; '*' kept to the owner by kms:CallerAccount (aws/rds) is not", () => {
    const statements = keyPolicyView(
      parsePolicy(
        JSON.stringify({
          Statement: [
            own,
            statement("Allow", { AWS: `arn:aws:iam::${B}:root` }, "kms:Decrypt"),
            statement("Allow", { AWS: "*" }, "kms:Decrypt", { StringEquals: { "kms:CallerAccount": A } }),
            statement("Allow", "*", "kms:Decrypt"),
          ],
        }),
      ),
      A,
    );
    assert.deepEqual(
      statements.map((s) => s.principals.map((p) => [p.value, p.account, p.external])),
      [
        [[`arn:aws:iam::${A}:root`, A, false]],
        [[`arn:aws:iam::${B}:root`, B, true]],
        [["*", undefined, false]],
        [["*", undefined, true]],
      ],
    );
    assert.deepEqual(statements[2]!.conditions, [`StringEquals kms:CallerAccount: ${A}`]);
  });
});
