import { GraphErrors } from "../errors.js";
import { LONG_MAX } from "../model/values.js";
import type {
  BinaryOperator,
  Clause,
  Expr,
  NodePattern,
  PatternPart,
  Projection,
  ProjectionItem,
  Query,
  RelationshipPattern,
  RemoveItem,
  SetItem,
  SortItem,
} from "./ast.js";
import { tokenize, type Token } from "./lexer.js";
import { checkScope } from "./scope.js";

/**
 * A recursive-descent parser that mirrors the openCypher 9 grammar's productions (Cypher → Query →
 * RegularQuery → SingleQuery → clauses; Expression → OrExpression → … → Atom), producing our own AST. Written
 * by hand from the grammar's structure; no grammar text or generated code is included.
 */
export function parseQuery(text: string): Query {
  const query = new Parser(text).statement();
  checkScope(query);
  return query;
}

/** Words that begin clauses or are operators: never taken as a variable where an expression is expected. */
const RESERVED = new Set(
  (
    "MATCH OPTIONAL WHERE RETURN WITH UNWIND CREATE MERGE SET REMOVE DELETE DETACH ORDER BY SKIP LIMIT UNION AS " +
    "AND OR XOR NOT IN STARTS ENDS CONTAINS IS ON CALL DISTINCT ASC ASCENDING DESC DESCENDING WHEN THEN ELSE END"
  ).split(" "),
);

const COMPARISONS = new Set(["=", "<>", "!=", "<", ">", "<=", ">="]);

class Parser {
  readonly #tokens: Token[];
  #pos = 0;
  /** Every parameter named so far (the query records them: a missing one is refused before any work). */
  readonly #parameters = new Set<string>();

  constructor(readonly text: string) {
    this.#tokens = tokenize(text);
  }

  // ── token helpers ──────────────────────────────────────────────────────────────────────────────────────

  #peek(ahead = 0): Token {
    return this.#tokens[Math.min(this.#pos + ahead, this.#tokens.length - 1)]!;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== "eof") this.#pos++;
    return token;
  }

  #isKeyword(word: string, ahead = 0): boolean {
    const token = this.#peek(ahead);
    return token.kind === "name" && !token.quoted && token.text.toUpperCase() === word;
  }

  #acceptKeyword(word: string): boolean {
    if (!this.#isKeyword(word)) return false;
    this.#pos++;
    return true;
  }

  #expectKeyword(word: string): void {
    if (!this.#acceptKeyword(word)) this.#fail(word);
  }

  #isSymbol(symbol: string, ahead = 0): boolean {
    const token = this.#peek(ahead);
    return token.kind === "symbol" && token.text === symbol;
  }

  #acceptSymbol(symbol: string): boolean {
    if (!this.#isSymbol(symbol)) return false;
    this.#pos++;
    return true;
  }

  #expectSymbol(symbol: string): void {
    if (!this.#acceptSymbol(symbol)) this.#fail(`'${symbol}'`);
  }

  #fail(expected: string, token = this.#peek()): never {
    const found = token.kind === "eof" ? "end of input" : `input '${this.text.slice(token.offset, token.end)}'`;
    throw GraphErrors.malformed(`Invalid ${found}: expected ${expected}`, token.line, token.column);
  }

  #failAt(message: string, token: Token): never {
    throw GraphErrors.malformed(message, token.line, token.column);
  }

  #name(what: string): string {
    const token = this.#peek();
    if (token.kind !== "name") this.#fail(what);
    this.#pos++;
    return token.text;
  }

  /** A variable: a name that is not a reserved word (unless backquoted). */
  #variable(): string {
    const token = this.#peek();
    if (token.kind !== "name" || (!token.quoted && RESERVED.has(token.text.toUpperCase()))) this.#fail("a variable");
    this.#pos++;
    return token.text;
  }

  #isVariableStart(): boolean {
    const token = this.#peek();
    return token.kind === "name" && (token.quoted || !RESERVED.has(token.text.toUpperCase()));
  }

  // ── Cypher, Query, SingleQuery ─────────────────────────────────────────────────────────────────────────

  statement(): Query {
    this.#queryHints();
    const parts = [this.#singleQuery()];
    const unionAll: boolean[] = [];
    while (this.#acceptKeyword("UNION")) {
      unionAll.push(this.#acceptKeyword("ALL"));
      parts.push(this.#singleQuery());
    }
    this.#acceptSymbol(";");
    if (this.#peek().kind !== "eof") this.#fail("a clause, UNION or the end of the query");
    return { parts, unionAll, parameters: [...this.#parameters] };
  }

  /** Neptune's `USING QUERY: HINT value` prefixes (engine ≥ 1.3.2.0): read and ignored. */
  #queryHints(): void {
    while (this.#isKeyword("USING") && this.#isKeyword("QUERY", 1)) {
      this.#pos += 2;
      this.#expectSymbol(":");
      this.#name("a query hint");
      const value = this.#next();
      if (value.kind !== "string" && value.kind !== "name") this.#fail("a query hint value", value);
    }
  }

  #singleQuery(): Clause[] {
    const clauses: Clause[] = [];
    const first = this.#peek();
    for (;;) {
      const token = this.#peek();
      const clause = this.#clause();
      if (!clause) break;
      if (clauses.at(-1)?.kind === "return") this.#failAt("RETURN can only be used at the end of the query", token);
      clauses.push(clause);
    }
    if (clauses.length === 0) this.#fail("a clause", first);
    if (this.#peek().kind !== "eof" && !this.#isSymbol(";") && !this.#isKeyword("UNION")) this.#fail("a clause");
    const last = clauses.at(-1)!;
    if (last.kind === "match" || last.kind === "with" || last.kind === "unwind") {
      this.#failAt(
        `Query cannot conclude with ${last.kind.toUpperCase()} (must be RETURN or an update clause)`,
        this.#peek(),
      );
    }
    return clauses;
  }

  #clause(): Clause | undefined {
    if (this.#acceptKeyword("OPTIONAL")) {
      this.#expectKeyword("MATCH");
      return this.#match(true);
    }
    if (this.#acceptKeyword("MATCH")) return this.#match(false);
    if (this.#acceptKeyword("UNWIND")) {
      const expr = this.#expression();
      this.#expectKeyword("AS");
      return { kind: "unwind", expr, variable: this.#variable() };
    }
    if (this.#acceptKeyword("WITH")) {
      const projection = this.#projection(true);
      const where = this.#acceptKeyword("WHERE") ? this.#expression() : undefined;
      return { kind: "with", projection, where };
    }
    if (this.#acceptKeyword("RETURN")) return { kind: "return", projection: this.#projection(false) };
    if (this.#acceptKeyword("CREATE")) return { kind: "create", patterns: this.#patterns() };
    if (this.#acceptKeyword("MERGE")) return this.#merge();
    if (this.#acceptKeyword("SET")) return { kind: "set", items: this.#setItems() };
    if (this.#acceptKeyword("REMOVE")) return { kind: "remove", items: this.#list(() => this.#removeItem()) };
    if (this.#acceptKeyword("DETACH")) {
      this.#expectKeyword("DELETE");
      return { kind: "delete", detach: true, exprs: this.#list(() => this.#expression()) };
    }
    if (this.#acceptKeyword("DELETE"))
      return { kind: "delete", detach: false, exprs: this.#list(() => this.#expression()) };
    // Neptune's compliance page: no CALL … YIELD, no FOREACH, no LOAD CSV (reference §2.4).
    for (const word of ["CALL", "FOREACH", "LOAD", "MANDATORY"]) {
      if (this.#isKeyword(word)) throw GraphErrors.unsupported(`${word} is not supported by Neptune openCypher`);
    }
    return undefined;
  }

  #list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.#acceptSymbol(",")) items.push(item());
    return items;
  }

  #match(optional: boolean): Clause {
    const patterns = this.#patterns();
    const where = this.#acceptKeyword("WHERE") ? this.#expression() : undefined;
    return { kind: "match", optional, patterns, where };
  }

  #merge(): Clause {
    const pattern = this.#patternPart();
    const onCreate: SetItem[] = [];
    const onMatch: SetItem[] = [];
    while (this.#acceptKeyword("ON")) {
      const which = this.#acceptKeyword("CREATE")
        ? onCreate
        : this.#acceptKeyword("MATCH")
          ? onMatch
          : this.#fail("CREATE or MATCH");
      this.#expectKeyword("SET");
      which.push(...this.#setItems());
    }
    return { kind: "merge", pattern, onCreate, onMatch };
  }

  // ── WITH / RETURN bodies ───────────────────────────────────────────────────────────────────────────────

  #projection(isWith: boolean): Projection {
    const distinct = this.#acceptKeyword("DISTINCT");
    let star = false;
    const items: ProjectionItem[] = [];
    if (this.#acceptSymbol("*")) {
      star = true;
      if (this.#acceptSymbol(",")) items.push(...this.#list(() => this.#projectionItem(isWith)));
    } else {
      items.push(...this.#list(() => this.#projectionItem(isWith)));
    }
    const orderBy: SortItem[] = [];
    if (this.#acceptKeyword("ORDER")) {
      this.#expectKeyword("BY");
      orderBy.push(
        ...this.#list(() => {
          const expr = this.#expression();
          const descending = this.#acceptKeyword("DESC") || this.#acceptKeyword("DESCENDING");
          if (!descending && !this.#acceptKeyword("ASC")) this.#acceptKeyword("ASCENDING");
          return { expr, descending };
        }),
      );
    }
    const skip = this.#acceptKeyword("SKIP") ? this.#expression() : undefined;
    const limit = this.#acceptKeyword("LIMIT") ? this.#expression() : undefined;
    return { distinct, star, items, orderBy, skip, limit };
  }

  #projectionItem(isWith: boolean): ProjectionItem {
    const start = this.#peek();
    const expr = this.#expression();
    const text = this.text.slice(start.offset, this.#tokens[this.#pos - 1]!.end);
    // An alias may be any name, keywords included (`AS end`, `AS count`).
    if (this.#acceptKeyword("AS")) return { expr, name: this.#name("an alias") };
    if (isWith && expr.kind !== "variable") this.#failAt("Expression in WITH must be aliased (use AS)", start);
    return { expr, name: expr.kind === "variable" ? expr.name : text };
  }

  // ── SET / REMOVE ───────────────────────────────────────────────────────────────────────────────────────

  #setItems(): SetItem[] {
    return this.#list(() => this.#setItem());
  }

  #setItem(): SetItem {
    const variable = this.#variable();
    if (this.#isSymbol(":")) return { kind: "labels", variable, labels: this.#labels() };
    if (this.#acceptSymbol("=")) return { kind: "replace", variable, value: this.#expression() };
    if (this.#acceptSymbol("+=")) return { kind: "merge", variable, value: this.#expression() };
    const { target, key } = this.#propertyTarget(variable);
    this.#expectSymbol("=");
    return { kind: "property", target, key, value: this.#expression() };
  }

  #removeItem(): RemoveItem {
    const variable = this.#variable();
    if (this.#isSymbol(":")) return { kind: "labels", variable, labels: this.#labels() };
    return { kind: "property", ...this.#propertyTarget(variable) };
  }

  /** `v.a.b.c`: the element is `v.a.b`, the key `c`. */
  #propertyTarget(variable: string): { target: Expr; key: string } {
    let target: Expr = { kind: "variable", name: variable };
    this.#expectSymbol(".");
    let key = this.#name("a property key");
    while (this.#acceptSymbol(".")) {
      target = { kind: "property", object: target, key };
      key = this.#name("a property key");
    }
    return { target, key };
  }

  #labels(): string[] {
    const labels: string[] = [];
    while (this.#acceptSymbol(":")) labels.push(this.#name("a label"));
    return labels;
  }

  // ── patterns ───────────────────────────────────────────────────────────────────────────────────────────

  #patterns(): PatternPart[] {
    return this.#list(() => this.#patternPart());
  }

  #patternPart(): PatternPart {
    let variable: string | undefined;
    if (this.#isVariableStart() && this.#isSymbol("=", 1)) {
      variable = this.#variable();
      this.#pos++;
    }
    for (const fn of ["SHORTESTPATH", "ALLSHORTESTPATHS"]) {
      if (this.#isKeyword(fn) && this.#isSymbol("(", 1)) {
        throw GraphErrors.unsupported(`${this.#peek().text}() is not supported by Neptune openCypher`);
      }
    }
    return { variable, ...this.#patternElement() };
  }

  #patternElement(): { nodes: NodePattern[]; relationships: RelationshipPattern[] } {
    // A pattern element may be parenthesized as a whole: `((a)-->(b))`.
    if (this.#isSymbol("(") && this.#isSymbol("(", 1)) {
      this.#pos++;
      const inner = this.#patternElement();
      this.#expectSymbol(")");
      return inner;
    }
    const nodes = [this.#nodePattern()];
    const relationships: RelationshipPattern[] = [];
    while (this.#isSymbol("-") || (this.#isSymbol("<") && this.#isSymbol("-", 1))) {
      relationships.push(this.#relationshipPattern());
      nodes.push(this.#nodePattern());
    }
    return { nodes, relationships };
  }

  #nodePattern(): NodePattern {
    this.#expectSymbol("(");
    const variable = this.#isVariableStart() ? this.#variable() : undefined;
    const labels = this.#labels();
    const properties = this.#patternProperties();
    this.#expectSymbol(")");
    return { variable, labels, properties };
  }

  #parameter(name: string): Expr {
    this.#parameters.add(name);
    return { kind: "parameter", name };
  }

  #patternProperties(): Expr | undefined {
    if (this.#isSymbol("{")) return this.#mapLiteral();
    if (this.#peek().kind === "parameter") return this.#parameter(this.#next().text);
    return undefined;
  }

  #relationshipPattern(): RelationshipPattern {
    const left = this.#acceptSymbol("<");
    this.#expectSymbol("-");
    let variable: string | undefined;
    const types: string[] = [];
    let range: RelationshipPattern["range"];
    let properties: Expr | undefined;
    if (this.#acceptSymbol("[")) {
      variable = this.#isVariableStart() ? this.#variable() : undefined;
      if (this.#acceptSymbol(":")) {
        types.push(this.#name("a relationship type"));
        while (this.#acceptSymbol("|")) {
          this.#acceptSymbol(":");
          types.push(this.#name("a relationship type"));
        }
      }
      if (this.#acceptSymbol("*")) range = this.#range();
      properties = this.#patternProperties();
      this.#expectSymbol("]");
    }
    this.#expectSymbol("-");
    const right = this.#acceptSymbol(">");
    const direction = left === right ? "both" : left ? "in" : "out";
    return { variable, types, direction, properties, range };
  }

  /** After `*`: `*`, `*n`, `*n..`, `*..m`, `*n..m`. */
  #range(): { min: number; max: number | undefined } {
    const bound = () => (this.#peek().kind === "integer" ? Number(this.#next().text) : undefined);
    const min = bound();
    if (this.#acceptSymbol("..")) return { min: min ?? 1, max: bound() };
    return min === undefined ? { min: 1, max: undefined } : { min, max: min };
  }

  // ── expressions, by precedence ─────────────────────────────────────────────────────────────────────────

  #expression(): Expr {
    return this.#or();
  }

  #or(): Expr {
    let left = this.#xor();
    while (this.#acceptKeyword("OR")) left = { kind: "binary", op: "OR", left, right: this.#xor() };
    return left;
  }

  #xor(): Expr {
    let left = this.#and();
    while (this.#acceptKeyword("XOR")) left = { kind: "binary", op: "XOR", left, right: this.#and() };
    return left;
  }

  #and(): Expr {
    let left = this.#not();
    while (this.#acceptKeyword("AND")) left = { kind: "binary", op: "AND", left, right: this.#not() };
    return left;
  }

  #not(): Expr {
    if (this.#acceptKeyword("NOT")) return { kind: "not", operand: this.#not() };
    return this.#comparison();
  }

  /** `a < b <= c` means `a < b AND b <= c` (openCypher's chained comparison). */
  #comparison(): Expr {
    const first = this.#additive();
    const terms: Expr[] = [first];
    const ops: BinaryOperator[] = [];
    for (;;) {
      const token = this.#peek();
      if (token.kind !== "symbol" || !COMPARISONS.has(token.text)) break;
      this.#pos++;
      ops.push(token.text === "!=" ? "<>" : (token.text as BinaryOperator));
      terms.push(this.#additive());
    }
    if (ops.length === 0) return first;
    let result: Expr = { kind: "binary", op: ops[0]!, left: terms[0]!, right: terms[1]! };
    for (let i = 1; i < ops.length; i++) {
      result = {
        kind: "binary",
        op: "AND",
        left: result,
        right: { kind: "binary", op: ops[i]!, left: terms[i]!, right: terms[i + 1]! },
      };
    }
    return result;
  }

  #additive(): Expr {
    let left = this.#multiplicative();
    for (;;) {
      if (this.#acceptSymbol("+")) left = { kind: "binary", op: "+", left, right: this.#multiplicative() };
      else if (this.#acceptSymbol("-")) left = { kind: "binary", op: "-", left, right: this.#multiplicative() };
      else return left;
    }
  }

  #multiplicative(): Expr {
    let left = this.#power();
    for (;;) {
      const token = this.#peek();
      if (token.kind === "symbol" && (token.text === "*" || token.text === "/" || token.text === "%")) {
        this.#pos++;
        left = { kind: "binary", op: token.text, left, right: this.#power() };
      } else return left;
    }
  }

  #power(): Expr {
    const left = this.#unary();
    // Neptune's compliance page lists `^` among the unsupported operators (reference §2.4).
    if (this.#isSymbol("^")) throw GraphErrors.unsupported("The ^ operator is not supported by Neptune openCypher");
    return left;
  }

  #unary(): Expr {
    if (this.#acceptSymbol("+")) return this.#unary();
    if (this.#acceptSymbol("-")) {
      // -9223372036854775808 is a literal: its magnitude alone does not fit a Long.
      const token = this.#peek();
      if (token.kind === "integer") {
        this.#pos++;
        return this.#postfixOperators({ kind: "literal", value: this.#integer(token, true) });
      }
      return { kind: "negate", operand: this.#unary() };
    }
    return this.#postfixOperators(this.#postfix());
  }

  /** StringListNullOperatorExpression: IN, STARTS WITH, ENDS WITH, CONTAINS, IS [NOT] NULL. */
  #postfixOperators(left: Expr): Expr {
    for (;;) {
      if (this.#acceptKeyword("IN")) left = { kind: "binary", op: "IN", left, right: this.#postfix() };
      else if (this.#isKeyword("STARTS") && this.#isKeyword("WITH", 1)) {
        this.#pos += 2;
        left = { kind: "binary", op: "STARTS WITH", left, right: this.#postfix() };
      } else if (this.#isKeyword("ENDS") && this.#isKeyword("WITH", 1)) {
        this.#pos += 2;
        left = { kind: "binary", op: "ENDS WITH", left, right: this.#postfix() };
      } else if (this.#acceptKeyword("CONTAINS")) {
        left = { kind: "binary", op: "CONTAINS", left, right: this.#postfix() };
      } else if (this.#acceptKeyword("IS")) {
        const negated = this.#acceptKeyword("NOT");
        this.#expectKeyword("NULL");
        left = { kind: "isNull", operand: left, negated };
      } else if (this.#isSymbol("=~")) {
        throw GraphErrors.unsupported("The =~ operator is not supported by Neptune openCypher");
      } else return left;
    }
  }

  /** An atom followed by property lookups, label tests, indexes and slices. */
  #postfix(): Expr {
    let expr = this.#atom();
    for (;;) {
      if (this.#acceptSymbol(".")) {
        expr = { kind: "property", object: expr, key: this.#name("a property key") };
      } else if (this.#isSymbol(":") && this.#peek(1).kind === "name") {
        expr = { kind: "hasLabels", object: expr, labels: this.#labels() };
      } else if (this.#acceptSymbol("[")) {
        if (this.#acceptSymbol("..")) {
          const to = this.#isSymbol("]") ? undefined : this.#expression();
          this.#expectSymbol("]");
          expr = { kind: "slice", list: expr, to };
          continue;
        }
        const index = this.#expression();
        if (this.#acceptSymbol("..")) {
          const to = this.#isSymbol("]") ? undefined : this.#expression();
          this.#expectSymbol("]");
          expr = { kind: "slice", list: expr, from: index, to };
          continue;
        }
        this.#expectSymbol("]");
        expr = { kind: "index", list: expr, index };
      } else return expr;
    }
  }

  #atom(): Expr {
    const token = this.#peek();
    switch (token.kind) {
      case "integer":
        this.#pos++;
        return { kind: "literal", value: this.#integer(token, false) };
      case "float":
        this.#pos++;
        return { kind: "literal", value: Number(token.text) };
      case "string":
        this.#pos++;
        return { kind: "literal", value: token.text };
      case "parameter":
        this.#pos++;
        return this.#parameter(token.text);
      case "eof":
        return this.#fail("an expression");
      case "symbol":
        if (token.text === "[") return this.#bracketed();
        if (token.text === "{") return this.#mapLiteral();
        if (token.text === "(") return this.#parenthesized();
        return this.#fail("an expression");
    }
    if (!token.quoted) {
      const word = token.text.toUpperCase();
      if (word === "TRUE" || word === "FALSE" || word === "NULL") {
        this.#pos++;
        return { kind: "literal", value: word === "NULL" ? null : word === "TRUE" };
      }
      if (word === "CASE") return this.#case();
      if (word === "COUNT" && this.#isSymbol("(", 1) && this.#isSymbol("*", 2)) {
        this.#pos += 3;
        this.#expectSymbol(")");
        return { kind: "countStar" };
      }
      if ((word === "ALL" || word === "ANY" || word === "NONE" || word === "SINGLE") && this.#isSymbol("(", 1)) {
        return this.#quantifier(word.toLowerCase() as "all" | "any" | "none" | "single");
      }
      if (word === "EXISTS" && this.#isSymbol("{", 1)) {
        throw GraphErrors.unsupported("EXISTS subqueries are not supported by Neptune openCypher");
      }
    }
    if (this.#isSymbol("(", 1)) return this.#call();
    return { kind: "variable", name: this.#variable() };
  }

  #integer(token: Token, negative: boolean): bigint {
    const magnitude = BigInt(token.text);
    const value = negative ? -magnitude : magnitude;
    if (value > LONG_MAX || value < -LONG_MAX - 1n) this.#failAt(`integer is too large: ${token.text}`, token);
    return value;
  }

  #call(): Expr {
    const name = this.#name("a function name");
    this.#expectSymbol("(");
    const distinct = this.#acceptKeyword("DISTINCT");
    const args = this.#isSymbol(")") ? [] : this.#list(() => this.#expression());
    this.#expectSymbol(")");
    return { kind: "call", name, distinct, args };
  }

  #quantifier(quantifier: "all" | "any" | "none" | "single"): Expr {
    this.#pos += 2;
    const variable = this.#variable();
    this.#expectKeyword("IN");
    const source = this.#expression();
    this.#expectKeyword("WHERE");
    const where = this.#expression();
    this.#expectSymbol(")");
    return { kind: "quantifier", quantifier, variable, source, where };
  }

  #case(): Expr {
    this.#pos++;
    const subject = this.#isKeyword("WHEN") ? undefined : this.#expression();
    const whens: [Expr, Expr][] = [];
    while (this.#acceptKeyword("WHEN")) {
      const when = this.#expression();
      this.#expectKeyword("THEN");
      whens.push([when, this.#expression()]);
    }
    if (whens.length === 0) this.#fail("WHEN");
    const otherwise = this.#acceptKeyword("ELSE") ? this.#expression() : undefined;
    this.#expectKeyword("END");
    return { kind: "case", subject, whens, otherwise };
  }

  #mapLiteral(): Expr {
    this.#expectSymbol("{");
    const entries: [string, Expr][] = [];
    if (!this.#isSymbol("}")) {
      do {
        const key = this.#name("a property key");
        this.#expectSymbol(":");
        entries.push([key, this.#expression()]);
      } while (this.#acceptSymbol(","));
    }
    this.#expectSymbol("}");
    return { kind: "map", entries };
  }

  /** `[`: a list comprehension, a pattern comprehension, or a list literal. */
  #bracketed(): Expr {
    this.#pos++;
    if (this.#isVariableStart() && this.#isKeyword("IN", 1)) {
      const variable = this.#variable();
      this.#pos++;
      const source = this.#expression();
      const where = this.#acceptKeyword("WHERE") ? this.#expression() : undefined;
      const map = this.#acceptSymbol("|") ? this.#expression() : undefined;
      this.#expectSymbol("]");
      return { kind: "comprehension", variable, source, where, map };
    }
    const pattern = this.#attempt(() => {
      const part = this.#patternPart();
      if (part.relationships.length === 0 || !(this.#isKeyword("WHERE") || this.#isSymbol("|"))) return undefined;
      return part;
    });
    if (pattern) {
      const where = this.#acceptKeyword("WHERE") ? this.#expression() : undefined;
      this.#expectSymbol("|");
      const map = this.#expression();
      this.#expectSymbol("]");
      return { kind: "patternComprehension", pattern, where, map };
    }
    const items = this.#isSymbol("]") ? [] : this.#list(() => this.#expression());
    this.#expectSymbol("]");
    return { kind: "list", items };
  }

  /** `(`: a relationship pattern used as a predicate (`(a)-[:R]->()`) or a parenthesized expression. */
  #parenthesized(): Expr {
    const pattern = this.#attempt(() => {
      const part = this.#patternElement();
      return part.relationships.length > 0 ? part : undefined;
    });
    if (pattern) return { kind: "pattern", pattern };
    this.#pos++;
    const inner = this.#expression();
    this.#expectSymbol(")");
    return inner;
  }

  /** Tries a production; on failure (or undefined) puts the tokens back. Only for the two pattern/expression forks. */
  #attempt<T>(production: () => T | undefined): T | undefined {
    const saved = this.#pos;
    try {
      const result = production();
      if (result !== undefined) return result;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== "MalformedQueryException") throw error;
    }
    this.#pos = saved;
    return undefined;
  }
}
