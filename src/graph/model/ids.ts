import { randomUuid } from "../../util/random.js";

/**
 * A server-generated element id, UUID-like as Neptune's (`48af8178-50ce-971a-fc41-8c9a954cea62`, reference §0):
 * a random (version 4) UUID, as one flat string (a graph keeps a million of them: util/random.ts says why not
 * crypto.randomUUID()). Not seeded: --seed-random covers the control plane's ids, not the data plane's (README).
 */
export function newElementId(): string {
  return randomUuid();
}
