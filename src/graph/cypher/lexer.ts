import { GraphErrors } from "../errors.js";
import { isDigit, isHexDigit, positions, scanDecimal, scanQuoted } from "../scan.js";

/**
 * The openCypher tokenizer: a character scanner (never a regular expression over the query). Keywords are not
 * told apart here: openCypher keywords are case-insensitive and may also be names, so the parser decides.
 */
export type TokenKind = "name" | "string" | "integer" | "float" | "parameter" | "symbol" | "eof";

export interface Token {
  kind: TokenKind;
  /** The name, the decoded string, the number's digits, the parameter's name, or the symbol itself. */
  text: string;
  /** A backquoted name: never a keyword. */
  quoted: boolean;
  /** Where it starts and ends in the query text (end exclusive). */
  offset: number;
  end: number;
  line: number;
  column: number;
}

/** Symbols of two characters first, so that the scanner takes the longest. `<-`/`->` stay two tokens. */
const SYMBOLS2 = ["<>", "!=", "<=", ">=", "=~", "+=", ".."];
const SYMBOLS1 = "()[]{},.:;|=<>+-*/%^";

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const place = positions(text);
  const fail = (message: string, at: number): never => {
    const { line, column } = place(at);
    throw GraphErrors.malformed(message, line, column);
  };
  const push = (kind: TokenKind, value: string, start: number, end: number, quoted = false) =>
    tokens.push({ kind, text: value, quoted, offset: start, end, ...place(start) });

  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c) || isLineBreak(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && !isLineBreak(text[i]!)) i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) fail("Unterminated comment", i);
      i = end + 2;
      continue;
    }
    const start = i;
    if (isNameStart(c)) {
      while (i < text.length && isNamePart(text[i]!)) i++;
      push("name", text.slice(start, i), start, i);
      continue;
    }
    if (c === "`") {
      let name = "";
      i++;
      for (;;) {
        if (i >= text.length) fail("Unterminated backquoted name", start);
        if (text[i] === "`") {
          if (text[i + 1] === "`") {
            name += "`";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        name += text[i++];
      }
      push("name", name, start, i, true);
      continue;
    }
    if (isDigit(c)) {
      i = scanNumber(text, i, push, fail);
      continue;
    }
    if (c === "'" || c === '"') {
      const [value, end] = scanString(text, i, fail);
      push("string", value, start, end);
      i = end;
      continue;
    }
    if (c === "$") {
      i++;
      if (i >= text.length || !isNamePart(text[i]!)) {
        fail("Invalid input '$': expected a parameter name", start);
      }
      const nameStart = i;
      while (i < text.length && isNamePart(text[i]!)) i++;
      push("parameter", text.slice(nameStart, i), start, i);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (SYMBOLS2.includes(two)) {
      push("symbol", two, start, start + 2);
      i += 2;
      continue;
    }
    if (SYMBOLS1.includes(c)) {
      push("symbol", c, start, start + 1);
      i++;
      continue;
    }
    fail(`Invalid input '${c}'`, i);
  }
  push("eof", "", i, i);
  return tokens;
}

function scanNumber(
  text: string,
  i: number,
  push: (kind: TokenKind, value: string, start: number, end: number) => void,
  fail: (message: string, at: number) => never,
): number {
  const start = i;
  if (text[i] === "0" && (text[i + 1] === "x" || text[i + 1] === "X")) {
    i += 2;
    while (i < text.length && isHexDigit(text[i]!)) i++;
    if (i === start + 2) fail("Invalid hexadecimal integer", start);
    push("integer", text.slice(start, i), start, i);
    return i;
  }
  // "1..3" is a range, not the float "1." followed by ".3": a dot is the number's only when a digit follows.
  const decimal = scanDecimal(text, i);
  i = decimal.end;
  if (i < text.length && isNameStart(text[i]!)) fail(`Invalid input '${text[i]}': expected a number`, i);
  push(decimal.float ? "float" : "integer", text.slice(start, i), start, i);
  return i;
}

const ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };

function scanString(text: string, start: number, fail: (message: string, at: number) => never): [string, number] {
  return scanQuoted(
    text,
    start,
    (i) => {
      const e = text[i + 1] ?? "";
      if (e === "u" || e === "U") {
        const width = e === "u" ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + width);
        if (hex.length !== width || ![...hex].every(isHexDigit)) fail("Invalid unicode escape", i);
        return [String.fromCodePoint(parseInt(hex, 16)), i + 2 + width];
      }
      const decoded = ESCAPES[e];
      if (decoded === undefined) fail(`Invalid escape sequence '\\${e}'`, i);
      return [decoded, i + 2];
    },
    () => fail("Unterminated string literal", start),
  );
}

const isLineBreak = (c: string) => c === "\n" || c === "\r";
const isSpace = (c: string) => c === " " || c === "\t" || c === "\f" || c === "\v" || c === "\u00a0";
const isNameStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c > "\u007f";
const isNamePart = (c: string) => isNameStart(c) || isDigit(c);
