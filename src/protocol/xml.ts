/** A minimal XML writer: enough for AWS Query responses, with escaping done in one place. */
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\n]/g, (c) => ESCAPES[c]!);
}

export class XmlWriter {
  #parts: string[] = [];

  open(name: string, attributes?: Record<string, string>): this {
    let attrs = "";
    for (const [k, v] of Object.entries(attributes ?? {})) attrs += ` ${k}="${escapeXml(v)}"`;
    this.#parts.push(`<${name}${attrs}>`);
    return this;
  }

  close(name: string): this {
    this.#parts.push(`</${name}>`);
    return this;
  }

  element(name: string, text: string): this {
    this.#parts.push(`<${name}>${escapeXml(text)}</${name}>`);
    return this;
  }

  toString(): string {
    return this.#parts.join("");
  }
}
