import { wildcardMatch } from "../policy/index.js";
import { accountOfPrincipal } from "./key-policy-view.js";
import type { AccountDoc } from "./state-view.js";

/**
 * The relationship picture's graph, computed here once for the page: accounts as boxes, and inside them the
 * snapshots and keys that reach across; arrows for who may restore what and whose key another account may use.
 *
 *   share       snapshot of A → account B     B is in the snapshot's `restore` attribute (R4/R5: B may copy it)
 *   key-policy  key of A → account B          a statement of the key policy allows a principal of B to use the key
 *   key-grant   key of A → account B          a grant on the key names a grantee of B
 *   copy        snapshot of X → snapshot of B the copy's SourceDBClusterSnapshotArn names X's snapshot (R7)
 *
 * Only arrows between accounts are drawn: what an account does with its own snapshots and keys is in its views.
 */

export interface GraphNode {
  id: string;
  kind: "account" | "snapshot" | "key";
  label: string;
  /** The account box a snapshot or key sits in. */
  parent?: string;
}

export interface GraphEdge {
  id: string;
  kind: "share" | "key-policy" | "key-grant" | "copy";
  from: string;
  to: string;
  label: string;
}

export interface RelationshipGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * What "using" a key means here: what Neptune needs of a key policy for another account's copy (R10): create grants
 * and decrypt. A statement that allows either lets that account's principals use the key.
 */
const USE_ACTIONS = ["kms:Decrypt", "kms:CreateGrant"];

const accountNode = (accountId: string) => `account:${accountId}`;
const accountOfArn = (arn: string) => arn.split(":")[4] ?? "";

export function relationships(accounts: readonly AccountDoc[]): RelationshipGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const account = (id: string) => {
    const key = accountNode(id);
    if (!nodes.has(key)) nodes.set(key, { id: key, kind: "account", label: id });
    return key;
  };
  const member = (kind: "snapshot" | "key", id: string, label: string, owner: string) => {
    if (!nodes.has(id)) nodes.set(id, { id, kind, label, parent: account(owner) });
    return id;
  };
  const edge = (e: GraphEdge) => edges.set(e.id, e);

  for (const doc of accounts) {
    account(doc.accountId);
    for (const snapshot of doc.snapshots) {
      for (const grantee of snapshot.sharedWith) {
        if (grantee === doc.accountId) continue;
        const from = member("snapshot", snapshot.arn, snapshot.id, doc.accountId);
        const to = grantee === "all" ? account("all") : account(grantee);
        edge({ id: `share:${snapshot.arn}>${grantee}`, kind: "share", from, to, label: `may copy ${snapshot.id}` });
      }
      const source = snapshot.copiedFrom;
      if (source && accountOfArn(source) !== doc.accountId) {
        const sourceAccount = accountOfArn(source);
        const from = member("snapshot", source, source.split(":").at(-1) ?? source, sourceAccount);
        const to = member("snapshot", snapshot.arn, snapshot.id, doc.accountId);
        edge({ id: `copy:${source}>${snapshot.arn}`, kind: "copy", from, to, label: `copied as ${snapshot.id}` });
      }
    }
    for (const key of doc.keys) {
      const name = key.aliases[0] ?? key.keyId;
      const users = new Set<string>();
      for (const statement of key.policy) {
        if (statement.effect !== "Allow" || statement.principalsExcepted || statement.actionsExcepted) continue;
        if (!statement.actions.some((pattern) => USE_ACTIONS.some((action) => wildcardMatch(pattern, action, true))))
          continue;
        for (const principal of statement.principals)
          if (principal.account && principal.account !== doc.accountId) users.add(principal.account);
      }
      for (const user of users)
        edge({
          id: `key-policy:${key.arn}>${user}`,
          kind: "key-policy",
          from: member("key", key.arn, name, doc.accountId),
          to: account(user),
          label: `may use ${name} (key policy)`,
        });
      for (const grant of key.grants) {
        const grantee = accountOfPrincipal(grant.grantee);
        if (!grantee || grantee === doc.accountId) continue;
        edge({
          id: `key-grant:${key.arn}>${grantee}`,
          kind: "key-grant",
          from: member("key", key.arn, name, doc.accountId),
          to: account(grantee),
          label: `may use ${name} (grant: ${grant.operations.join(", ")})`,
        });
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
