import { withinStack } from "../../graph/engine.js";
import { GraphErrors } from "../../graph/errors.js";
import { GremlinErrors } from "../errors.js";
import { BytecodeArg, Predicate, type Arg, type Bytecode, type Instruction } from "../values.js";
import { ScriptPlace, tokenize, type ScriptToken } from "./lexer.js";
import {
  bare,
  bareKey,
  ENUM_CLASSES,
  PREDICATES,
  qualified,
  SOURCE_METHODS,
  SPAWN_STEPS,
  STEPS,
  TERMINALS,
} from "./vocabulary.js";

/**
 * Gremlin string scripts → the Bytecode the WebSocket bytecode path runs, so that scripts and bytecode share one
 * engine. A recursive-descent parser written from the language as TinkerPop documents it (the grammar below);
 * Neptune parses scripts with TinkerPop's gremlin-language grammar, not Groovy, so a script is data, never code
 * (reference §3.6): `g` is the only name bound, and variables, lambdas, Groovy and Java are refused as syntax
 * errors, MalformedQueryException with the place (lexer.ts).
 *
 *   script     := statement ((';')* statement)* (';')*       one transaction; the last statement's results answer
 *   statement  := 'g' ('.' source)* '.' spawn ('.' step)* ('.' terminal)?
 *   traversal  := '__' ('.' step)+ | step ('.' step)* | 'g' ('.' source)* '.' spawn ('.' step)*   (as an argument)
 *   step       := NAME '(' (arg (',' arg)*)? ')'                  any step of the language (vocabulary.ts)
 *   arg        := literal | '-' number | list | map | traversal | predicate | enum | '(' arg ')'
 *   predicate  := ('P.' | 'TextP.')? PRED '(' args ')' ('.' ('and' | 'or') '(' predicate ')' | '.negate()')*
 *   enum       := CLASS '.' NAME | NAME                          `T.id`, `desc`, `Cardinality.single`…
 *   list       := '[' (arg (',' arg)*)? ']'     map := '[' ':' ']' | '[' key ':' arg (',' key ':' arg)* ']'
 *   literal    := STRING | INTEGER | FLOAT | 'true' | 'false' | 'null' | 'NaN' | 'Infinity' | datetime(STRING)
 *
 * Statements are separated by `;` or simply follow each other (a line break), as Neptune allows (reference §3.1).
 * Step names are taken generically: whether the engine runs a step is the engine's to say.
 */

/** A statement of a script: its traversal, and the terminal method that ends it (`next()`, `toList()`…), if any. */
export interface Statement {
  readonly bytecode: Bytecode;
  readonly terminal?: Instruction;
}

export interface Script {
  readonly statements: readonly Statement[];
}

/**
 * How deeply arguments may nest (lists in lists, traversals in traversals). *Decided*: a fixed bound, so that a
 * deeply nested script is refused the same way whatever the stack holds, and the results it could make stay
 * writable; the stack guard (QueryTooLargeException) backs it.
 */
const MAX_DEPTH = 500;

export function parseScript(text: string): Script {
  const place = new ScriptPlace(text);
  return withinStack(() => new Parser(tokenize(text, place), place).script());
}

class Parser {
  #at = 0;
  #depth = 0;

  constructor(
    readonly tokens: ScriptToken[],
    readonly place: ScriptPlace,
  ) {}

  script(): Script {
    const statements: Statement[] = [];
    for (;;) {
      while (this.#isSymbol(";")) this.#at++;
      if (this.#peek().kind === "eof") break;
      statements.push(this.#statement());
    }
    if (statements.length === 0) throw this.#error("the script is empty: it must be a traversal from g", this.#peek());
    return { statements };
  }

  #statement(): Statement {
    const head = this.#peek();
    if (head.kind !== "name" || head.text !== "g") throw this.#notTraversal(head);
    this.#at++;
    const { source, step, terminal } = this.#chain([], true);
    const end = this.#peek();
    if (!(end.kind === "eof" || (end.kind === "symbol" && end.text === ";") || end.kind === "name"))
      throw this.#unexpected(end, "after the traversal");
    return { bytecode: { source, step }, ...(terminal ? { terminal } : {}) };
  }

  /**
   * `('.' call)*` after `g`, `__` or a first step. `root`: a traversal from `g` (source methods, then a spawn step
   * first). Terminal methods end only a statement's traversal.
   */
  #chain(
    step: Instruction[],
    root: boolean,
    statement = root,
  ): { source: Instruction[]; step: Instruction[]; terminal?: Instruction } {
    const source: Instruction[] = [];
    let terminal: Instruction | undefined;
    if (root && !this.#isSymbol("."))
      throw this.#error("g must be followed by a traversal, such as g.V()", this.#peek());
    while (this.#isSymbol(".")) {
      this.#at++;
      const nameToken = this.#peek();
      if (nameToken.kind !== "name") throw this.#unexpected(nameToken, "after '.'");
      const name = nameToken.text;
      if (terminal) throw this.#error(`nothing may follow the terminal step ${terminal.name}()`, nameToken);
      this.#at++;
      const args = this.#arguments(nameToken);
      const instruction = { name, args };
      if (root && step.length === 0 && SOURCE_METHODS.has(name)) source.push(instruction);
      else if (name === "tx")
        // reference §3.6: each script is its own transaction; tx().commit()/rollback() in a script is unsupported.
        throw GremlinErrors.unsupported("Transactions (g.tx()) are not supported in a Gremlin script by Neptune");
      else if (TERMINALS.has(name)) {
        if (!statement) throw this.#error(`${name}() ends a script's traversal; it cannot end a nested one`, nameToken);
        terminal = instruction;
      } else if (root && step.length === 0 && !SPAWN_STEPS.has(name))
        throw this.#error(
          `g.${name}() does not start a traversal: start with V(), E(), addV(), addE(), inject(), mergeV() or mergeE()`,
          nameToken,
        );
      else if (!STEPS.has(name)) throw this.#error(`unknown step '${name}'`, nameToken);
      else step.push(instruction);
    }
    if (root && step.length === 0) throw this.#error("g must be followed by a traversal, such as g.V()", this.#peek());
    return { source, step, ...(terminal ? { terminal } : {}) };
  }

  /** `'(' (arg (',' arg)*)? ')'` after a step's or function's name. */
  #arguments(nameToken: ScriptToken): Arg[] {
    const open = this.#peek();
    if (open.kind === "symbol" && open.text === "{") throw this.#lambda(open);
    if (!(open.kind === "symbol" && open.text === "(")) {
      throw this.#error(
        `'${nameToken.text}' must be called with parentheses, as in ${nameToken.text}(): Groovy property access ` +
          "is not supported by Neptune",
        nameToken,
      );
    }
    this.#at++;
    return this.#nested(() => this.#list(")"));
  }

  /** Arguments up to the closing symbol (`)` or `]`), separated by commas. */
  #list(close: string): Arg[] {
    const args: Arg[] = [];
    if (this.#isSymbol(close)) {
      this.#at++;
      return args;
    }
    for (;;) {
      args.push(this.#arg());
      const next = this.#peek();
      this.#at++;
      if (next.kind === "symbol" && next.text === close) return args;
      if (!(next.kind === "symbol" && next.text === ",")) throw this.#unexpected(next, `: expected ',' or '${close}'`);
    }
  }

  #nested<T>(work: () => T): T {
    if (++this.#depth > MAX_DEPTH) throw GraphErrors.tooDeep();
    try {
      return work();
    } finally {
      this.#depth--;
    }
  }

  #arg(): Arg {
    const t = this.#peek();
    switch (t.kind) {
      case "string":
        this.#at++;
        return t.text;
      case "integer":
        this.#at++;
        return t.integer!;
      case "float":
        this.#at++;
        return t.float!;
      case "name":
        return this.#named();
      case "symbol":
        return this.#symbolArg(t);
      default:
        throw this.#error("the script ends in the middle of a step's arguments", t);
    }
  }

  #symbolArg(t: ScriptToken): Arg {
    switch (t.text) {
      case "-": {
        this.#at++;
        const n = this.#peek();
        this.#at++;
        if (n.kind === "integer") return -n.integer!;
        if (n.kind === "float") return -n.float!;
        if (n.kind === "name" && n.text === "Infinity") return -Infinity;
        throw this.#unexpected(n, "after '-': only a number may be negative (no arithmetic)");
      }
      case "[":
        this.#at++;
        return this.#nested(() => this.#collection());
      case "(": {
        this.#at++;
        const inner = this.#nested(() => this.#arg());
        const close = this.#peek();
        if (!(close.kind === "symbol" && close.text === ")")) throw this.#unexpected(close, ": expected ')'");
        this.#at++;
        return inner;
      }
      case "{":
        throw this.#lambda(t);
      default:
        throw this.#unexpected(t, "");
    }
  }

  /** `[…]`: a list, or a map when its first entry has a key (`[:]` is the empty map). */
  #collection(): Arg {
    if (this.#isSymbol(":") && this.#isSymbol("]", 1)) {
      this.#at += 2;
      return new Map();
    }
    if (this.#isSymbol("]")) {
      this.#at++;
      return [];
    }
    const first = this.#key();
    if (!this.#isSymbol(":")) {
      if (!this.#isSymbol(",")) {
        this.#expectClose("]");
        return [first];
      }
      this.#at++;
      return [first, ...this.#list("]")];
    }
    const map = new Map<Arg, Arg>();
    let key = first;
    for (;;) {
      this.#at++; // ':'
      map.set(key, this.#arg());
      const next = this.#peek();
      this.#at++;
      if (next.kind === "symbol" && next.text === "]") return map;
      if (!(next.kind === "symbol" && next.text === ",")) throw this.#unexpected(next, ": expected ',' or ']'");
      key = this.#key();
      if (!this.#isSymbol(":")) throw this.#unexpected(this.#peek(), ": expected ':' after a map key");
    }
  }

  /**
   * A list element or a map key. A bare name before `:` is a string key (Groovy), except T's and Direction's values
   * (`[id: 'x']`, `[OUT: 'a']`), which gremlin-language reads as those tokens.
   */
  #key(): Arg {
    const t = this.#peek();
    if (t.kind === "name" && this.#isSymbol(":", 1)) {
      this.#at++;
      return bareKey(t.text) ?? t.text;
    }
    return this.#arg();
  }

  #expectClose(close: string): void {
    const t = this.#peek();
    if (!(t.kind === "symbol" && t.text === close)) throw this.#unexpected(t, `: expected '${close}'`);
    this.#at++;
  }

  /** An argument that starts with a name: a literal word, a traversal, a predicate, an enum value. */
  #named(): Arg {
    const t = this.#peek();
    const name = t.text;
    const call = this.#isSymbol("(", 1);
    const member = this.#isSymbol(".", 1);
    if (!call && !member) {
      const literal = LITERALS.get(name);
      if (literal !== undefined) {
        this.#at++;
        return literal;
      }
    }
    if (name === "__" && member) {
      this.#at++;
      const { step } = this.#chain([], false);
      if (step.length === 0) throw this.#error("__ must be followed by a step, such as __.out()", t);
      return new BytecodeArg([], step);
    }
    if (name === "g" && member) {
      this.#at++;
      const { source, step } = this.#chain([], true, false);
      return new BytecodeArg(source, step);
    }
    if ((name === "P" || name === "TextP") && member) {
      this.#at += 2;
      const p = this.#peek();
      if (p.kind !== "name" || !PREDICATES.has(p.text))
        throw this.#error(`unknown predicate ${name}.${p.kind === "name" ? p.text : p.text || "…"}`, p);
      return this.#predicateCall(p);
    }
    if (ENUM_CLASSES.has(name) && member) {
      this.#at += 2;
      const m = this.#peek();
      const value = m.kind === "name" ? qualified(name, m.text) : undefined;
      if (value === undefined) throw this.#error(`unknown value ${name}.${m.text || "…"}`, m);
      this.#at++;
      return value;
    }
    if (call) return this.#callArg(t);
    if (member || name === "new")
      throw this.#error(
        `'${name}' is not Gremlin: Neptune runs no Java or Groovy (classes, methods, fields), only traversals from g`,
        t,
      );
    const token = bare(name);
    if (token) {
      this.#at++;
      return token;
    }
    if (name.endsWith("Strategy")) {
      // withStrategies(ReadOnlyStrategy): the engine ignores strategies; the name is kept as the argument.
      this.#at++;
      return name;
    }
    if (this.#isSymbol("-", 1) && this.#isSymbol(">", 2)) throw this.#lambda(t);
    throw this.#error(`variables are not supported by Neptune (nor bindings): '${name}'`, t);
  }

  /** `name(…)` as an argument: datetime(), a bare predicate, or an anonymous traversal's first step. */
  #callArg(t: ScriptToken): Arg {
    const name = t.text;
    if (name === "datetime") {
      this.#at++;
      return this.#datetime(t, this.#arguments(t));
    }
    if (PREDICATES.has(name) && name !== "not") return this.#predicateCall(t);
    if (!STEPS.has(name)) throw this.#error(`unknown step or function '${name}'`, t);
    this.#at++;
    const args = this.#arguments(t);
    // not(P) is a predicate; not(traversal) the step.
    if (name === "not" && args.length === 1 && args[0] instanceof Predicate)
      return this.#predicateChain(new Predicate("not", args[0]));
    const { step } = this.#chain([{ name, args }], false);
    return new BytecodeArg([], step);
  }

  /** `pred(…)` at the current token, then its chain. */
  #predicateCall(t: ScriptToken): Predicate {
    this.#at++;
    const args = this.#arguments(t);
    return this.#predicateChain(predicate(t.text, args, (message) => this.#error(message, t)));
  }

  /** `.and(P)`, `.or(P)`, `.negate()` after a predicate. */
  #predicateChain(p: Predicate): Predicate {
    let result = p;
    // Each link nests the predicate one level deeper (and(and(…), p)), so it counts toward the nesting bound.
    for (let links = 0; ; links++) {
      if (this.#depth + links > MAX_DEPTH) throw GraphErrors.tooDeep();
      const m = this.#peek(1);
      if (!this.#isSymbol(".") || m.kind !== "name" || !["and", "or", "negate"].includes(m.text)) return result;
      this.#at += 2;
      const args = this.#arguments(m);
      if (m.text === "negate") {
        if (args.length !== 0) throw this.#error("negate() takes no argument", m);
        result = new Predicate("not", result);
      } else {
        if (args.length !== 1 || !(args[0] instanceof Predicate))
          throw this.#error(`${m.text}() of a predicate takes one predicate`, m);
        result = new Predicate(m.text, result, args[0]);
      }
    }
  }

  /**
   * Neptune's `datetime('…')` for dates in scripts (docs access-graph-gremlin-differences: YYYY-MM-DD,
   * YYYY-MM-DDTHH:mm, YYYY-MM-DDTHH:mm:SS, YYYY-MM-DDTHH:mm:SSZ); without a zone it is UTC.
   */
  #datetime(t: ScriptToken, args: Arg[]): Date {
    const text = args[0];
    if (args.length !== 1 || typeof text !== "string") throw this.#error("datetime() takes one string", t);
    const time = text.slice(16);
    const zoned = text.length <= 10 || time.endsWith("Z") || time.includes("+") || time.includes("-");
    const date = new Date(zoned ? text : `${text}Z`);
    if (!isIsoDate(text) || Number.isNaN(date.getTime()))
      throw this.#error(`datetime('${text}') is not an ISO-8601 date and time`, t);
    return date;
  }

  #peek(ahead = 0): ScriptToken {
    return this.tokens[Math.min(this.#at + ahead, this.tokens.length - 1)]!;
  }

  #isSymbol(text: string, ahead = 0): boolean {
    const t = this.#peek(ahead);
    return t.kind === "symbol" && t.text === text;
  }

  #error(message: string, at: ScriptToken): Error {
    return this.place.error(message, at.offset);
  }

  #lambda(at: ScriptToken): Error {
    return this.#error("lambdas and closures are not supported by Neptune", at);
  }

  /** `context`: what was expected (": expected ')'") or where ("after '.'"). */
  #unexpected(t: ScriptToken, context: string): Error {
    const joined = context === "" || context.startsWith(":") ? context : ` ${context}`;
    if (t.kind === "eof") return this.#error(`the script ends too early${joined}`, t);
    if (t.kind === "symbol" && t.text === "=")
      return this.#error("variables and assignments are not supported by Neptune", t);
    if (t.kind === "symbol" && t.text === "{") return this.#lambda(t);
    const shown = t.kind === "string" ? `'${t.text}'` : t.text;
    return this.#error(`unexpected ${shown}${joined}`, t);
  }

  /** A statement that does not begin with g. */
  #notTraversal(t: ScriptToken): Error {
    if (t.kind !== "name") return this.#unexpected(t, ": a statement must begin with g");
    if (this.#isSymbol("=", 1))
      return this.#error(`variables and assignments are not supported by Neptune: '${t.text} = …'`, t);
    if (t.text === "graph") return this.#error("the graph object is not supported by Neptune: use g", t);
    return this.#error(
      `'${t.text}' is not the traversal source g: every statement must begin with g (Neptune runs no variables, ` +
        "Groovy or Java)",
      t,
    );
  }
}

const LITERALS = new Map<string, Arg>([
  ["true", true],
  ["false", false],
  ["null", null],
  ["NaN", NaN],
  ["Infinity", Infinity],
]);

/** A predicate from its name and operands, with the number of operands its name takes. */
function predicate(name: string, args: Arg[], fail: (message: string) => Error): Predicate {
  const arity = PREDICATES.get(name)!;
  if (arity >= 0 && args.length !== arity)
    throw fail(`${name}() takes ${arity} argument${arity === 1 ? "" : "s"}, not ${args.length}`);
  if (arity < 0) return new Predicate(name, args.length === 1 && Array.isArray(args[0]) ? args[0] : args);
  if (name === "not" && !(args[0] instanceof Predicate)) throw fail("not() of a predicate takes a predicate");
  return arity === 2 ? new Predicate(name, args[0]!, args[1]!) : new Predicate(name, args[0]!);
}

/** `YYYY-MM-DD`, optionally followed by `THH:mm`, `:SS` (with a fraction) and a `Z` or offset. */
function isIsoDate(text: string): boolean {
  const digitsAt = (from: number, count: number) =>
    text.length >= from + count && [...text.slice(from, from + count)].every((c) => c >= "0" && c <= "9");
  if (!digitsAt(0, 4) || text[4] !== "-" || !digitsAt(5, 2) || text[7] !== "-" || !digitsAt(8, 2)) return false;
  if (text.length === 10) return true;
  return text[10] === "T" && digitsAt(11, 2) && text[13] === ":" && digitsAt(14, 2);
}
