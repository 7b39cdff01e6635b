import type { KmsEnv } from "./env.js";
import { expireImportedMaterial } from "./imported-material.js";
import {
  multiRegionRole,
  primaryOf,
  shareWithReplicas,
  sharedProperties,
  startWaitingPeriodWhenAlone,
} from "./multi-region.js";
import { saveKey, type KeyRecord } from "./records.js";
import { catchUpRotations } from "./rotation.js";

/**
 * What the clock does to a key between two looks at it, done when it is next looked at (records.ts findKey), so
 * that time moves only through the one clock: automatic rotations that came due, imported material that expired,
 * a primary whose last replica is gone starting its deletion waiting period. A replica takes its primary's shared
 * properties (the primary is caught up first). Returns the key as it is now, saved if it changed.
 */
export function catchUpKey(env: KmsEnv, key: KeyRecord): KeyRecord {
  const now = env.clock.now().getTime();
  let current = expireImportedMaterial(key, now);
  current = startWaitingPeriodWhenAlone(env, current, now);
  if (multiRegionRole(current) === "REPLICA") {
    const primary = primaryOf(env, current);
    if (primary) current = { ...current, ...sharedProperties(catchUpKey(env, primary)) };
  } else {
    current = catchUpRotations(current, now);
  }
  if (current !== key && !sameShared(current, key)) {
    saveKey(env, current);
    shareWithReplicas(env, current);
  }
  return current;
}

/** Whether nothing the clock changes differs (a replica's copies of its primary's properties compare by value). */
function sameShared(a: KeyRecord, b: KeyRecord): boolean {
  return (
    a.Material.equals(b.Material) &&
    (a.Versions?.length ?? 0) === (b.Versions?.length ?? 0) &&
    JSON.stringify(a.Rotation) === JSON.stringify(b.Rotation) &&
    a.Import === b.Import &&
    a.DeletionDate === b.DeletionDate &&
    a.ReplicaDeletionPending === b.ReplicaDeletionPending &&
    a.KeySpec === b.KeySpec &&
    a.Origin === b.Origin
  );
}
