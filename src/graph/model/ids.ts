import { randomBytes } from "node:crypto";

/** Random bytes drawn in bulk: one system call per 4096 ids. */
const POOL_SIZE = 16 * 4096;
let pool = randomBytes(POOL_SIZE);
let used = 0;
const scratch = Buffer.alloc(36);
const HEX = Buffer.from("0123456789abcdef", "latin1");

/**
 * A server-generated element id, UUID-like as Neptune's (`48af8178-50ce-971a-fc41-8c9a954cea62`, reference §0):
 * a random (version 4) UUID. Not crypto.randomUUID(): on Node 20 its result is a rope of small strings that
 * costs ~450 bytes per id, where a graph keeps a million of them; this one is a flat 36-character string.
 */
export function newElementId(): string {
  if (used + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    used = 0;
  }
  pool[used + 6] = (pool[used + 6]! & 0x0f) | 0x40;
  pool[used + 8] = (pool[used + 8]! & 0x3f) | 0x80;
  let out = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) scratch[out++] = 0x2d;
    const byte = pool[used + i]!;
    scratch[out++] = HEX[byte >> 4]!;
    scratch[out++] = HEX[byte & 0x0f]!;
  }
  used += 16;
  return scratch.toString("latin1", 0, 36);
}
