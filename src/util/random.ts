import { randomBytes, randomFillSync } from "node:crypto";

/**
 * The one seeded generator (mulberry32): small, fast, and the same sequence for the same seed everywhere, so a
 * failing fuzz case, crash point or random pattern can be replayed from the seed it prints, and the demo's graph is
 * the same on every run.
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p: number) => next() < p,
  };
}

export type SeededRandom = ReturnType<typeof seededRandom>;

/**
 * Where the emulator's ids come from (key ids, grant ids, resource ids, access key ids, request ids): the crypto
 * generator, or with `trident serve --seed-random N` seeded sequences, so that recorded expectations stay stable
 * (moto's `/moto-api/seed` answers the same need). One sequence per kind of id, each seeded from N and the kind:
 * the key ids depend only on how many keys were made before, not on how often a suite polled health in between
 * (every request takes a request id). Secrets (secret access keys, session tokens, IVs) never come from here.
 */
let idSeed: number | undefined;
const idStreams = new Map<string, SeededRandom>();

/** Seeds every id sequence from `seed`; undefined goes back to the crypto generator. Once, at start. */
export function seedIds(seed: number | undefined): void {
  idSeed = seed;
  idStreams.clear();
}

/** `length` bytes for an id of a kind (`kms-key`, `request`, `ASIA`…). */
export function idBytes(kind: string, length: number): Buffer {
  if (idSeed === undefined) return randomBytes(length);
  let stream = idStreams.get(kind);
  if (!stream) {
    stream = seededRandom(fnv1a(`${idSeed}:${kind}`));
    idStreams.set(kind, stream);
  }
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = stream.int(256);
  return bytes;
}

/** A version 4 UUID (RFC 9562 §5.4) for an id of a kind. */
export function idUuid(kind: string): string {
  if (idSeed === undefined) return randomUuid();
  return formatUuid(idBytes(kind, 16), 0);
}

/**
 * A random version 4 UUID as one flat string, for the ids made most often: every answer's request id, every graph
 * element's id. Not crypto.randomUUID(): on Node 20 it builds its text from 20 joined strings (about 600 bytes of
 * garbage an id, which a graph of a million elements keeps), and every later write or check of the id flattens
 * them again. Measured with the header check node:http makes of a request id: 330 against 150 ns.
 */
export function randomUuid(): string {
  return formatUuid(uuidEntropy, drawUuidBytes());
}

/** Random bytes for randomUuid, drawn from the crypto generator 4,096 UUIDs at a time. */
const uuidEntropy = Buffer.alloc(16 * 4096);
let uuidEntropyUsed = uuidEntropy.length;

/** Where 16 unused bytes of uuidEntropy start (all of it drawn again once used up). */
function drawUuidBytes(): number {
  if (uuidEntropyUsed === uuidEntropy.length) {
    randomFillSync(uuidEntropy);
    uuidEntropyUsed = 0;
  }
  uuidEntropyUsed += 16;
  return uuidEntropyUsed - 16;
}

const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
/** Where a UUID's text is made: written in place, then read out as one string (no string per byte). */
const uuidText = Buffer.alloc(36);

/** The 16 bytes from `start` as a UUID's text, with the version (4) and variant (10) bits set. */
function formatUuid(bytes: Buffer, start: number): string {
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) uuidText[at++] = 0x2d; // "-"
    let byte = bytes[start + i]!;
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    uuidText[at++] = HEX_DIGITS[byte >> 4]!;
    uuidText[at++] = HEX_DIGITS[byte & 0x0f]!;
  }
  return uuidText.toString("latin1", 0, 36);
}

/** 32-bit FNV-1a: a kind's seed from its name. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
