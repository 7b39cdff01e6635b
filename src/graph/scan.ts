/**
 * Character scanning that the query languages' tokenizers share (openCypher's, src/graph/cypher/lexer.ts, and
 * Gremlin scripts', src/gremlin/script/lexer.ts): places in the text and decimal numbers. Never a regular
 * expression over a query.
 */

export const isDigit = (c: string) => c >= "0" && c <= "9";
export const isHexDigit = (c: string) => isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");

/**
 * A decimal number from `start`: digits, a fraction (a dot followed by a digit: "1..3" and "1.x" keep their dot),
 * an exponent (`e`, a sign, digits). Where it ends, and whether it has a fraction or an exponent.
 */
export function scanDecimal(text: string, start: number): { end: number; float: boolean } {
  let i = start;
  while (i < text.length && isDigit(text[i]!)) i++;
  let float = false;
  if (text[i] === "." && isDigit(text[i + 1] ?? "")) {
    float = true;
    i++;
    while (i < text.length && isDigit(text[i]!)) i++;
  }
  if (text[i] === "e" || text[i] === "E") {
    let j = i + 1;
    if (text[j] === "+" || text[j] === "-") j++;
    if (isDigit(text[j] ?? "")) {
      float = true;
      i = j;
      while (i < text.length && isDigit(text[i]!)) i++;
    }
  }
  return { end: i, float };
}

/**
 * A string literal from its opening quote at `start` to the same quote: its value and the index after it.
 * `escape` decodes the escape sequence at a backslash (the language's own escapes): its text and the index after
 * it; `unterminated` throws when the text ends first.
 */
export function scanQuoted(
  text: string,
  start: number,
  escape: (at: number) => [string, number],
  unterminated: () => never,
): [string, number] {
  const quote = text[start]!;
  let value = "";
  let i = start + 1;
  for (;;) {
    // The characters up to the next quote or backslash, as one slice (a long literal stays linear and fast).
    let end = i;
    while (end < text.length && text[end] !== quote && text[end] !== "\\") end++;
    value += text.slice(i, end);
    if (end >= text.length) unterminated();
    if (text[end] === quote) return [value, end + 1];
    const [decoded, next] = escape(end);
    value += decoded;
    i = next;
  }
}

/**
 * The line and column (1-based, in UTF-16 units as the query text is) of an offset. A line ends at "\n", "\r\n"
 * or a lone "\r", the line breaks of the openCypher grammar's whitespace.
 */
export function positions(text: string): (at: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] !== "\n")) starts.push(i + 1);
  }
  return (at) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - starts[low]! + 1 };
  };
}
