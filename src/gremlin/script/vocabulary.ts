import { Token } from "../values.js";

/**
 * The words of the Gremlin language that a script may use, as TinkerPop's reference documentation defines the
 * language (the traversal source's methods, the steps of GraphTraversal, the terminal methods, the enums and
 * predicates). Which of the steps Trident runs is the engine's business (src/gremlin/traversal.ts refuses the
 * others with UnsupportedOperationException); this list only tells a step of the language from a name that is
 * none (`hsLabel`), which Neptune's grammar refuses as a syntax error.
 */

/** `g.withX(…)`: configure the source; each becomes a source instruction of the bytecode. */
export const SOURCE_METHODS = new Set([
  "with",
  "withBulk",
  "withComputer",
  "withPath",
  "withSack",
  "withSideEffect",
  "withStrategies",
  "withoutStrategies",
]);

/** `g.X(…)`: the steps that may start a traversal from the source. */
export const SPAWN_STEPS = new Set(["V", "E", "addV", "addE", "inject", "mergeV", "mergeE", "io", "call", "union"]);

/** Every step of GraphTraversal (TinkerPop 3.7/3.8), modulators included. */
export const STEPS = new Set([
  ...SPAWN_STEPS,
  ...[
    "aggregate",
    "all",
    "and",
    "any",
    "as",
    "asBool",
    "asDate",
    "asNumber",
    "asString",
    "barrier",
    "both",
    "bothE",
    "bothV",
    "branch",
    "by",
    "cap",
    "choose",
    "coalesce",
    "coin",
    "combine",
    "concat",
    "conjoin",
    "connectedComponent",
    "constant",
    "count",
    "cyclicPath",
    "dateAdd",
    "dateDiff",
    "dedup",
    "difference",
    "discard",
    "disjunct",
    "drop",
    "element",
    "elementMap",
    "emit",
    "fail",
    "filter",
    "flatMap",
    "fold",
    "format",
    "from",
    "group",
    "groupCount",
    "has",
    "hasId",
    "hasKey",
    "hasLabel",
    "hasNot",
    "hasValue",
    "id",
    "identity",
    "in",
    "inE",
    "inV",
    "index",
    "intersect",
    "is",
    "key",
    "label",
    "length",
    "limit",
    "local",
    "loops",
    "lTrim",
    "map",
    "match",
    "math",
    "max",
    "mean",
    "merge",
    "min",
    "none",
    "not",
    "option",
    "optional",
    "or",
    "order",
    "otherV",
    "out",
    "outE",
    "outV",
    "pageRank",
    "path",
    "peerPressure",
    "product",
    "profile",
    "program",
    "project",
    "properties",
    "property",
    "propertyMap",
    "range",
    "read",
    "repeat",
    "replace",
    "reverse",
    "rTrim",
    "sack",
    "sample",
    "select",
    "shortestPath",
    "sideEffect",
    "simplePath",
    "skip",
    "split",
    "store",
    "subgraph",
    "substring",
    "sum",
    "tail",
    "timeLimit",
    "times",
    "to",
    "toLower",
    "toUpper",
    "tree",
    "trim",
    "unfold",
    "until",
    "value",
    "valueMap",
    "values",
    "where",
    "with",
    "write",
  ],
]);

/** The methods that end a traversal and say what the script answers (run.ts). */
export const TERMINALS = new Set(["next", "tryNext", "hasNext", "toList", "toSet", "toBulkSet", "iterate", "explain"]);

/** `P.x(…)` and `TextP.x(…)`, also written bare (`gt(1)`), and how many operands each takes (-1: any number). */
export const PREDICATES = new Map<string, number>([
  ["eq", 1],
  ["neq", 1],
  ["lt", 1],
  ["lte", 1],
  ["gt", 1],
  ["gte", 1],
  ["inside", 2],
  ["outside", 2],
  ["between", 2],
  ["within", -1],
  ["without", -1],
  ["not", 1],
  ["containing", 1],
  ["notContaining", 1],
  ["startingWith", 1],
  ["notStartingWith", 1],
  ["endingWith", 1],
  ["notEndingWith", 1],
  ["regex", 1],
  ["notRegex", 1],
]);

/** The enums, by the name a script gives their class, with their values (the type names GraphSON 3 writes). */
const ENUMS: Record<string, string[]> = {
  T: ["id", "label", "key", "value"],
  Order: ["asc", "desc", "shuffle", "incr", "decr"],
  Scope: ["local", "global"],
  Cardinality: ["single", "set", "list"],
  Column: ["keys", "values"],
  Pop: ["first", "last", "all", "mixed"],
  Direction: ["OUT", "IN", "BOTH", "from", "to"],
  Merge: ["onCreate", "onMatch", "outV", "inV"],
  Operator: ["sum", "minus", "mult", "div", "min", "max", "assign", "and", "or", "addAll", "sumLong"],
  Pick: ["any", "none"],
  Barrier: ["normSack"],
  DT: ["second", "minute", "hour", "day"],
};

/** `Direction.from`/`to` are the aliases of OUT and IN (TinkerPop 3.7), which the engine knows by those names. */
const ALIASES: Record<string, string> = { from: "OUT", to: "IN" };

/** `WithOptions.x`: the values of the with() modulator's keys, as TinkerPop defines them. */
const WITH_OPTIONS: Record<string, string | bigint> = {
  tokens: "~tinkerpop.valueMap.tokens",
  none: 0n,
  ids: 1n,
  labels: 2n,
  keys: 4n,
  values: 8n,
  all: 15n,
  indexer: "~tinkerpop.index.indexer",
  list: 0n,
  map: 1n,
};

export const ENUM_CLASSES = new Set([...Object.keys(ENUMS), "WithOptions"]);

/** `Class.member`: the token, or undefined when the class has no such member. */
export function qualified(type: string, member: string): Token | string | bigint | undefined {
  if (type === "WithOptions") return WITH_OPTIONS[member];
  if (!ENUMS[type]?.includes(member)) return undefined;
  return new Token(type, ALIASES[member] ?? member);
}

/**
 * A bare enum value (`desc`, `local`, `single`, `keys`, `from` in `[(from): 'a']`): Neptune takes the short forms
 * (reference §3.6), the type determined by where they stand; the engine reads tokens by name, so the first class
 * that has the name is its type.
 */
export function bare(name: string): Token | undefined {
  for (const [type, members] of Object.entries(ENUMS))
    if (members.includes(name)) return new Token(type, ALIASES[name] ?? name);
  return undefined;
}

/** A bare map key that is a token rather than a string (as gremlin-language reads them): T's and Direction's. */
export function bareKey(name: string): Token | undefined {
  for (const type of ["T", "Direction"]) {
    const token = qualified(type, name);
    if (token instanceof Token) return token;
  }
  return undefined;
}
