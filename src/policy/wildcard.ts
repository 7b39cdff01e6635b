/**
 * IAM's wildcard matching (`*` any run of characters, `?` exactly one) in time linear in the value, whatever the
 * pattern: no regular expression, and no backtracking. The classic two-pointer matcher that backtracks to the
 * last `*` costs O(pattern × value) in the worst case (`*a*a*…*b` against `aaa…`), which let one StringLike in a
 * key policy stall the server for seconds.
 *
 * The pattern is split at its `*`s into segments S0 * S1 * … * Sk. S0 must match at the start and Sk at the end;
 * each middle segment is placed at its leftmost match after the previous one. Leftmost placement is optimal: it
 * leaves the most room for what follows. Each search resumes where the last match ended, so the value is scanned
 * once in all: O(value + pattern) for segments without `?` (Knuth–Morris–Pratt), and O(value × ⌈s / 32⌉) for a
 * segment of length s that holds a `?` (bit-parallel Shift-And, 32 positions per machine word).
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  return compileWildcard(pattern, ignoreCase)(value);
}

/**
 * The matcher of one pattern, with the pattern's work done once (lower-cased, split at its `*`s): what a policy
 * compiled once per version keeps for each of its patterns.
 */
export function compileWildcard(pattern: string, ignoreCase: boolean): (value: string) => boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const read = ignoreCase ? (value: string) => value.toLowerCase() : (value: string) => value;
  const segments = p.split("*");
  if (segments.length === 1) {
    if (!p.includes("?")) return (value) => read(value) === p;
    return (value) => {
      const v = read(value);
      return p.length === v.length && matchesAt(p, v, 0);
    };
  }
  if (segments.every((segment) => segment === "")) return () => true; // `*`, `**` …
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((segment) => segment !== "");
  return (value) => {
    const v = read(value);
    const end = v.length - last.length;
    if (first.length > end || !matchesAt(first, v, 0) || !matchesAt(last, v, end)) return false;
    let from = first.length;
    for (const segment of middle) {
      const at = segment.includes("?") ? shiftAndSearch(segment, v, from, end) : kmpSearch(segment, v, from, end);
      if (at < 0) return false;
      from = at + segment.length;
    }
    return true;
  };
}

/** Whether `segment` (with `?`) matches `value` at `at`; the caller has checked that it fits. */
function matchesAt(segment: string, value: string, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== QUESTION && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

const QUESTION = "?".charCodeAt(0);

/** Leftmost start of the literal `segment` in `value[from, end)`, or -1. O(segment + scanned). */
function kmpSearch(segment: string, value: string, from: number, end: number): number {
  const m = segment.length;
  const fallback = new Int32Array(m); // longest proper border of segment[0..i]
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && segment.charCodeAt(i) !== segment.charCodeAt(k)) k = fallback[k - 1]!;
    if (segment.charCodeAt(i) === segment.charCodeAt(k)) k++;
    fallback[i] = k;
  }
  for (let i = from, k = 0; i < end; i++) {
    while (k > 0 && value.charCodeAt(i) !== segment.charCodeAt(k)) k = fallback[k - 1]!;
    if (value.charCodeAt(i) === segment.charCodeAt(k)) k++;
    if (k === m) return i - m + 1;
  }
  return -1;
}

/**
 * Leftmost start of `segment` (which holds `?`) in `value[from, end)`, or -1. Bit j of the state says that
 * segment[0..j] matches the text ending here; one step per character of the value, ⌈segment / 32⌉ words each.
 */
function shiftAndSearch(segment: string, value: string, from: number, end: number): number {
  const m = segment.length;
  const words = Math.ceil(m / 32);
  const anyChar = new Uint32Array(words); // the `?` positions, which every character satisfies
  for (let j = 0; j < m; j++) if (segment.charCodeAt(j) === QUESTION) anyChar[j >>> 5]! |= 1 << (j & 31);
  const masks = new Map<number, Uint32Array>();
  for (let j = 0; j < m; j++) {
    const c = segment.charCodeAt(j);
    if (c === QUESTION) continue;
    let mask = masks.get(c);
    if (mask === undefined) masks.set(c, (mask = Uint32Array.from(anyChar)));
    mask[j >>> 5]! |= 1 << (j & 31);
  }
  const state = new Uint32Array(words);
  const lastWord = words - 1;
  const lastBit = 1 << ((m - 1) & 31);
  for (let i = from; i < end; i++) {
    const mask = masks.get(value.charCodeAt(i)) ?? anyChar;
    let carry = 1; // a match may start at every position
    for (let w = 0; w < words; w++) {
      const word = state[w]!;
      state[w] = ((word << 1) | carry) & mask[w]!;
      carry = word >>> 31;
    }
    if ((state[lastWord]! & lastBit) !== 0) return i - m + 1;
  }
  return -1;
}
