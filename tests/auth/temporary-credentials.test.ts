import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { EXPIRED_CREDENTIALS_KEPT_MS, IdentityRegistry, rootPrincipal } from "../../src/auth/identities.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { ManualClock } from "../../src/state/clock.js";
import { MemoryStore } from "../../src/state/store.js";
import { A, inProcess, rejection } from "../helpers/harness.js";

const TABLE = ["sts.temporaryCredentials", "aws-global", "aws-global"] as const;
const HOUR = 3600;

function registry(maxTemporaryCredentials?: number) {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const identities = new IdentityRegistry(defaultConfig(), clock, store, maxTemporaryCredentials);
  const held = () => store.table(...TABLE).size;
  return { clock, store, identities, held };
}

describe("STS temporary credentials are pruned after expiry", () => {
  test("through the wire: ExpiredToken for a day after expiry, then InvalidClientTokenId; the row goes at the next issue", async () => {
    const { emulator, clock, clientsFor } = inProcess();
    const issued = emulator.identities.issueTemporaryCredentials(rootPrincipal(A), HOUR);
    const sts: STSClient = clientsFor({ ...issued }).sts;
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, A);

    clock.advanceSeconds(HOUR);
    assert.equal((await rejection(() => sts.send(new GetCallerIdentityCommand({})))).name, "ExpiredToken");
    clock.advance(EXPIRED_CREDENTIALS_KEPT_MS - 1000);
    assert.equal((await rejection(() => sts.send(new GetCallerIdentityCommand({})))).name, "ExpiredToken");
    clock.advance(1000);
    const gone = await rejection(() => sts.send(new GetCallerIdentityCommand({})));
    assert.equal(gone.name, "InvalidClientTokenId");
    assert.ok(emulator.store.table(...TABLE).get(issued.accessKeyId), "a refused request changes nothing");
    emulator.identities.issueTemporaryCredentials(rootPrincipal(A), HOUR);
    assert.equal(emulator.store.table(...TABLE).get(issued.accessKeyId), undefined, "issuing prunes it");
  });

  test("issuing prunes what is past its retention, earliest first, and keeps the rest", () => {
    const { clock, identities, held } = registry();
    const short = identities.issueTemporaryCredentials(rootPrincipal(A), 900);
    const long = identities.issueTemporaryCredentials(rootPrincipal(A), 12 * HOUR);
    clock.advance(900_000 + EXPIRED_CREDENTIALS_KEPT_MS);
    identities.issueTemporaryCredentials(rootPrincipal(A), 900);
    assert.equal(held(), 2);
    assert.equal(identities.resolveAccessKey(short.accessKeyId), undefined);
    assert.ok(identities.resolveAccessKey(long.accessKeyId)?.expiration);
  });

  test("beyond the cap, expired credentials go early, earliest first; unexpired ones are never dropped", () => {
    const { clock, identities, held } = registry(3);
    const first = identities.issueTemporaryCredentials(rootPrincipal(A), 900);
    const second = identities.issueTemporaryCredentials(rootPrincipal(A), 1800);
    clock.advanceSeconds(1800); // both expired, well within the retention window
    identities.issueTemporaryCredentials(rootPrincipal(A), HOUR);
    assert.equal(held(), 3);
    identities.issueTemporaryCredentials(rootPrincipal(A), HOUR); // at the cap: the earliest expired goes
    assert.equal(held(), 3);
    assert.equal(identities.resolveAccessKey(first.accessKeyId), undefined);
    assert.ok(identities.resolveAccessKey(second.accessKeyId));
    identities.issueTemporaryCredentials(rootPrincipal(A), HOUR);
    identities.issueTemporaryCredentials(rootPrincipal(A), HOUR); // only unexpired left: the cap yields
    assert.equal(held(), 4);
  });

  test("credentials already in the store (a durable store after a restart) are pruned too", () => {
    const { clock, store, identities } = registry();
    const old = identities.issueTemporaryCredentials(rootPrincipal(A), 900);
    const restarted = new IdentityRegistry(defaultConfig(), clock, store);
    clock.advance(900_000 + EXPIRED_CREDENTIALS_KEPT_MS);
    restarted.issueTemporaryCredentials(rootPrincipal(A), 900);
    assert.equal(store.table(...TABLE).get(old.accessKeyId), undefined);
  });
});
