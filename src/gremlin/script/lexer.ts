import { isDigit, isHexDigit, positions, scanDecimal, scanQuoted } from "../../graph/scan.js";
import { GremlinErrors } from "../errors.js";

/**
 * The tokenizer of Gremlin string scripts: a character scanner (never a regular expression over the script), from
 * the language as TinkerPop's reference documents it: names, string literals in single or double quotes with
 * Groovy's escapes (Neptune: "escapes follow Groovy string-escaping rules", reference §3.6), integer and floating
 * point literals with Gremlin's type suffixes, and single-character symbols. Line breaks are white space: statements
 * end where the grammar says, so a chain may go on over several lines (`g.V()\n  .out()`).
 *
 * A character the language has no use for (`{`, `=`, `+`…) is still a token, so that the parser can say what the
 * script tried (a lambda, a variable, arithmetic) at its position.
 */
export type TokenKind = "name" | "string" | "integer" | "float" | "symbol" | "eof";

export interface ScriptToken {
  readonly kind: TokenKind;
  /** The name, the decoded string, the number's text (without its suffix), or the symbol. */
  readonly text: string;
  /** An integer's value (every Gremlin integer type is a bigint to the engine). */
  readonly integer?: bigint;
  /** A floating point literal's value. */
  readonly float?: number;
  /** Where it starts in the script. */
  readonly offset: number;
}

/** Where things are in a script, in Neptune's words: 1-based line, 0-based character position in the line. */
export class ScriptPlace {
  readonly #place: (at: number) => { line: number; column: number };

  constructor(text: string) {
    this.#place = positions(text);
  }

  /**
   * A syntax error at an offset, worded as Neptune words the gremlin-language parser's errors
   * (`Query parsing failed at line 1, character position at 2, error message : …`; bricaud/graphexp#40,
   * apache/tinkerpop#3437).
   */
  error(message: string, at: number): Error {
    const { line, column } = this.#place(at);
    return GremlinErrors.malformed(
      `Query parsing failed at line ${line}, character position at ${column - 1}, error message : ${message}`,
    );
  }
}

/** Integer suffixes: byte, short, int, long, BigInteger (all integers to the engine). */
const INTEGER_SUFFIXES = "bBsSiIlLnN";
/** Floating point suffixes: float, double, BigDecimal (all doubles to the engine). */
const FLOAT_SUFFIXES = "fFdDmM";

const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  s: " ",
  '"': '"',
  "'": "'",
  "\\": "\\",
  $: "$",
};

export function tokenize(text: string, place: ScriptPlace): ScriptToken[] {
  const tokens: ScriptToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw place.error("unterminated comment", i);
      i = end + 2;
      continue;
    }
    const start = i;
    if (isNameStart(c)) {
      while (i < text.length && isNamePart(text[i]!)) i++;
      tokens.push({ kind: "name", text: text.slice(start, i), offset: start });
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      const token = scanNumber(text, i, place);
      tokens.push(token);
      i = token.offset + token.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const [value, end] = scanString(text, i, place);
      tokens.push({ kind: "string", text: value, offset: start });
      i = end;
      continue;
    }
    tokens.push({ kind: "symbol", text: c, offset: start });
    i++;
  }
  tokens.push({ kind: "eof", text: "", offset: i });
  return tokens;
}

function scanNumber(text: string, start: number, place: ScriptPlace): ScriptToken & { length: number } {
  let i = start;
  const done = (kind: "integer" | "float", digits: string, value: bigint | number) => {
    if (i < text.length && isNamePart(text[i]!))
      throw place.error(`invalid number '${text.slice(start, i + 1)}'`, start);
    return kind === "integer"
      ? { kind, text: digits, integer: value as bigint, offset: start, length: i - start }
      : { kind, text: digits, float: value as number, offset: start, length: i - start };
  };
  if (text[i] === "0" && (text[i + 1] === "x" || text[i + 1] === "X")) {
    i += 2;
    while (i < text.length && isHexDigit(text[i]!)) i++;
    const digits = text.slice(start, i);
    if (digits.length === 2) throw place.error(`invalid hexadecimal number '${digits}'`, start);
    // A hexadecimal literal's suffix cannot be b (a hex digit): short, int, long or BigInteger only.
    if (INTEGER_SUFFIXES.includes(text[i] ?? " ")) i++;
    return done("integer", digits, BigInt(digits));
  }
  const decimal = scanDecimal(text, i);
  i = decimal.end;
  const digits = text.slice(start, i);
  if (FLOAT_SUFFIXES.includes(text[i] ?? " ")) {
    i++;
    return done("float", digits, Number(digits));
  }
  if (decimal.float) return done("float", digits, Number(digits));
  if (INTEGER_SUFFIXES.includes(text[i] ?? " ")) i++;
  // Groovy and gremlin-language read a leading 0 as octal (`010` is 8).
  const octal = digits.length > 1 && digits.startsWith("0");
  if (octal && [...digits].some((d) => d > "7")) throw place.error(`invalid octal number '${digits}'`, start);
  return done("integer", digits, octal ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits));
}

function scanString(text: string, start: number, place: ScriptPlace): [string, number] {
  return scanQuoted(
    text,
    start,
    (i) => {
      const e = text[i + 1] ?? "";
      if (e === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (hex.length !== 4 || ![...hex].every(isHexDigit)) throw place.error("invalid unicode escape", i);
        return [String.fromCharCode(parseInt(hex, 16)), i + 6];
      }
      if (e >= "0" && e <= "7") {
        // Octal escapes, \0 to \377, as in Java and Groovy.
        let j = i + 1;
        const most = e <= "3" ? 3 : 2;
        while (j < i + 1 + most && text[j]! >= "0" && text[j]! <= "7") j++;
        return [String.fromCharCode(parseInt(text.slice(i + 1, j), 8)), j];
      }
      const decoded = ESCAPES[e];
      if (decoded === undefined) throw place.error(`invalid escape sequence '\\${e}'`, i);
      return [decoded, i + 2];
    },
    () => {
      throw place.error("unterminated string literal", start);
    },
  );
}

const isSpace = (c: string) =>
  c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v" || c === "\u00a0" || c === "\ufeff";
const isNameStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === "$";
const isNamePart = (c: string) => isNameStart(c) || isDigit(c);
