import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ListKeysCommand,
} from "@aws-sdk/client-kms";
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { Emulator } from "../../src/emulator.js";
import { PASSPHRASE_HEADER } from "../../src/server/admin.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { encodeRecord } from "../../src/state/codec.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { A, ADMIN, REGION, rejection, type Credentials } from "../helpers/harness.js";

const PASSPHRASE = "correct horse battery staple";
const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** A fresh local AWS on a socket, and SDK clients for it. */
async function server() {
  const running = await startServer(new Emulator({ delays: DELAY_PROFILES.instant }), { port: 0 });
  servers.push(running);
  const clients = (credentials: Credentials = ADMIN[A]!) => {
    const config = { region: REGION, endpoint: running.endpoint, credentials, maxAttempts: 1 };
    return { kms: new KMSClient(config), neptune: new NeptuneClient(config), sts: new STSClient(config) };
  };
  /** A call to a Trident endpoint: status and parsed JSON. */
  const admin = async (method: string, path: string, options: { body?: string; passphrase?: string } = {}) => {
    const response = await fetch(`${running.endpoint}${path}`, {
      method,
      headers: options.passphrase === undefined ? {} : { [PASSPHRASE_HEADER]: options.passphrase },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  /** Every row of the state, as text: to show that a refused request changed nothing. */
  const snapshot = () => encodeRecord([...running.emulator.store.rows()]);
  return { running, clients, admin, snapshot };
}

/** State in every service of account A: a key and a ciphertext, an encrypted cluster and its snapshot, a session. */
async function populate(clients: ReturnType<Awaited<ReturnType<typeof server>>["clients"]>) {
  const key = (await clients.kms.send(new CreateKeyCommand({ Description: "rehearsal" }))).KeyMetadata!;
  const ciphertext = (
    await clients.kms.send(
      new EncryptCommand({
        KeyId: key.KeyId,
        Plaintext: Buffer.from("graph secret"),
        EncryptionContext: { app: "orders" },
      }),
    )
  ).CiphertextBlob!;
  await clients.neptune.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: "orders-graph",
      Engine: "neptune",
      StorageEncrypted: true,
      KmsKeyId: key.Arn,
    }),
  );
  await clients.neptune.send(
    new CreateDBClusterSnapshotCommand({
      DBClusterIdentifier: "orders-graph",
      DBClusterSnapshotIdentifier: "before-move",
    }),
  );
  await clients.neptune.send(
    new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: "before-move",
      AttributeName: "restore",
      ValuesToAdd: ["222222222222"],
    }),
  );
  const session = (await clients.sts.send(new GetSessionTokenCommand({ DurationSeconds: 3600 }))).Credentials!;
  return {
    key,
    ciphertext,
    session: {
      accessKeyId: session.AccessKeyId!,
      secretAccessKey: session.SecretAccessKey!,
      sessionToken: session.SessionToken!,
    },
  };
}

describe("POST /_trident/reset", () => {
  test("clears every service; identities from config stay, and alias/aws/rds is made again on first use", async () => {
    const { clients, admin } = await server();
    const a = clients();
    const made = await populate(a);
    const before = (await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }))).KeyMetadata!.KeyId;

    const answer = await admin("POST", "/_trident/reset");
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { status: "ok", reset: ["kms", "neptune", "sts", "iam"] });

    assert.deepEqual((await a.kms.send(new ListKeysCommand({}))).Keys, []);
    assert.deepEqual((await a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
    assert.deepEqual((await a.neptune.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots, []);
    const gone = await rejection(() => clients(made.session).sts.send(new GetCallerIdentityCommand({})));
    assert.equal(gone.name, "InvalidClientTokenId");
    assert.equal((await a.sts.send(new GetCallerIdentityCommand({}))).Account, A, "configured users stay");
    const again = (await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }))).KeyMetadata!;
    assert.equal(again.KeyManager, "AWS");
    assert.notEqual(again.KeyId, before, "a new AWS-managed key");
  });

  test("?service= clears that service only; iam is accepted; an unknown service is 400 and changes nothing", async () => {
    const { clients, admin, snapshot, running } = await server();
    const a = clients();
    const made = await populate(a);

    const before = snapshot();
    const withoutIam = () =>
      encodeRecord([...running.emulator.store.rows()].filter((row) => !row.table.startsWith("iam.")));
    const beforeIam = withoutIam();
    const unknown = await admin("POST", "/_trident/reset?service=s3");
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json, {
      error: "InvalidParameterValue",
      message: "service must be one of kms, neptune, sts, iam; got 's3'",
    });
    assert.ok(snapshot() === before, "an unknown service changes nothing");
    assert.equal((await admin("POST", "/_trident/reset?service=iam")).status, 200);
    assert.ok(withoutIam() === beforeIam, "IAM is back to its seed: nothing else is touched");
    assert.equal(
      (await a.sts.send(new GetCallerIdentityCommand({}))).Account,
      A,
      "the configured admin is seeded again",
    );

    assert.deepEqual((await admin("POST", "/_trident/reset?service=kms")).json, { status: "ok", reset: ["kms"] });
    assert.equal((await a.kms.send(new ListKeysCommand({}))).Keys!.length, 0);
    assert.equal((await a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!.length, 1, "Neptune stays");
    assert.equal((await clients(made.session).sts.send(new GetCallerIdentityCommand({}))).Account, A, "STS stays");

    await admin("POST", "/_trident/reset?service=sts");
    assert.equal(
      (await rejection(() => clients(made.session).sts.send(new GetCallerIdentityCommand({})))).name,
      "InvalidClientTokenId",
    );
    await admin("POST", "/_trident/reset?service=neptune");
    assert.deepEqual((await a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
  });

  test("other methods and paths under /_trident/ are refused in JSON", async () => {
    const { admin } = await server();
    const get = await admin("GET", "/_trident/reset");
    assert.equal(get.status, 405);
    assert.deepEqual(get.json, { error: "MethodNotAllowed", message: "/_trident/reset takes POST, not GET" });
    const missing = await admin("GET", "/_trident/constructor");
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, "Trident has no endpoint /_trident/constructor");
  });
});

describe("GET and POST /_trident/state", () => {
  test("a document exported from one server brings everything back in a fresh one", async () => {
    const first = await server();
    const made = await populate(first.clients());
    const exported = await fetch(`${first.running.endpoint}/_trident/state`, {
      headers: { [PASSPHRASE_HEADER]: PASSPHRASE },
    });
    assert.equal(exported.status, 200);
    const text = await exported.text();
    const exportedState = first.snapshot();
    const document = JSON.parse(text) as {
      format: string;
      version: number;
      rows: { table: string; value?: unknown; sealed?: string }[];
    };
    assert.equal(document.format, "trident-state");
    assert.equal(document.version, 1);
    const keyRows = document.rows.filter((row) => row.table === "kms.keys");
    assert.ok(keyRows.length >= 1 && keyRows.every((row) => typeof row.sealed === "string" && row.value === undefined));
    assert.ok(!text.includes(made.session.secretAccessKey), "STS secrets are sealed");
    assert.ok(
      document.rows.some((row) => row.table === "neptune.clusters" && row.value !== undefined),
      "the rest is readable",
    );

    const second = await server();
    const imported = await second.admin("POST", "/_trident/state", { body: text, passphrase: PASSPHRASE });
    assert.equal(imported.status, 200);
    assert.deepEqual(imported.json, { status: "ok", imported: document.rows.length });
    assert.ok(second.snapshot() === exportedState, "row for row the same state");
    const b = second.clients();
    const plain = await b.kms.send(
      new DecryptCommand({ CiphertextBlob: made.ciphertext, EncryptionContext: { app: "orders" } }),
    );
    assert.equal(Buffer.from(plain.Plaintext!).toString(), "graph secret");
    assert.equal(plain.KeyId, made.key.Arn);
    const cluster = (await b.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "orders-graph" })))
      .DBClusters![0]!;
    assert.equal(cluster.KmsKeyId, made.key.Arn);
    const snapshots = (
      await b.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: "before-move" }))
    ).DBClusterSnapshots!;
    assert.equal(snapshots[0]!.Status, "available");
    assert.equal(
      (await second.clients(made.session).sts.send(new GetCallerIdentityCommand({}))).Account,
      A,
      "the session still works",
    );
  });

  test("no passphrase, a wrong one, a tampered, moved, foreign, newer or unknown document: a clear 400 and nothing changes", async () => {
    const source = await server();
    await populate(source.clients());
    const text = await (
      await fetch(`${source.running.endpoint}/_trident/state`, { headers: { [PASSPHRASE_HEADER]: PASSPHRASE } })
    ).text();
    const document = JSON.parse(text) as { version: number; rows: Record<string, unknown>[] };
    const edited = (change: (doc: typeof document) => void) => {
      const copy = structuredClone(document);
      change(copy);
      return JSON.stringify(copy);
    };
    const secretIndex = document.rows.findIndex((row) => row.table === "kms.keys");
    const plainIndex = document.rows.findIndex((row) => row.table === "neptune.clusters");

    const target = await server();
    await populate(target.clients());
    const before = target.snapshot();
    const cases: [string, string | undefined, number, RegExp][] = [
      [text, undefined, 400, /^a passphrase is required/],
      [
        text,
        "wrong passphrase",
        400,
        /^the passphrase does not open this document \(wrong passphrase, or it was altered\)$/,
      ],
      ["{ not json", PASSPHRASE, 400, /^not a Trident state document: not JSON/],
      [
        JSON.stringify({ accounts: {} }),
        PASSPHRASE,
        400,
        /^not a Trident state document: "format" is not "trident-state"$/,
      ],
      [
        edited((d) => (d.version = 2)),
        PASSPHRASE,
        400,
        /format version 2, written by a newer Trident; this one reads version 1: upgrade Trident/,
      ],
      [
        edited((d) => {
          const sealed = Buffer.from(d.rows[secretIndex]!.sealed as string, "base64");
          sealed[20] ^= 1;
          d.rows[secretIndex]!.sealed = sealed.toString("base64");
        }),
        PASSPHRASE,
        400,
        /the sealed record does not open \(altered or moved\)$/,
      ],
      [
        edited((d) => (d.rows[secretIndex]!.accountId = "222222222222")),
        PASSPHRASE,
        400,
        /the sealed record does not open/,
      ],
      [
        edited((d) => (d.rows[plainIndex]!.table = "s3.buckets")),
        PASSPHRASE,
        400,
        new RegExp(`^row ${plainIndex + 1}: unknown table "s3.buckets"$`),
      ],
      [edited((d) => (d.rows[plainIndex]!.value = [1, 2])), PASSPHRASE, 400, /a record must be an object$/],
      [edited((d) => d.rows.push(d.rows[plainIndex]!)), PASSPHRASE, 400, /appears twice in its account and region$/],
      [edited((d) => delete d.rows[secretIndex]!.sealed), PASSPHRASE, 400, /must be "sealed" \(a secret table\)/],
    ];
    for (const [body, passphrase, status, message] of cases) {
      const answer = await target.admin("POST", "/_trident/state", { body, ...(passphrase ? { passphrase } : {}) });
      assert.equal(answer.status, status, String(answer.json.message));
      assert.match(String(answer.json.message), message);
      assert.ok(target.snapshot() === before, `nothing changed after: ${String(answer.json.message)}`);
    }
    const noPassphrase = await target.admin("GET", "/_trident/state");
    assert.equal(noPassphrase.status, 400);
    assert.equal(noPassphrase.json.error, "PassphraseRequired");
  });
});
