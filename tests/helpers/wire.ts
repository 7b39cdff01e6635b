import assert from "node:assert/strict";
import { parseXML } from "@aws-sdk/xml-builder";

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u;

/**
 * A Query response as a client reads it: only characters of XML 1.0's `Char` production (botocore's expat refuses
 * any other), then the SDK v3's own XML parser.
 */
export function readableXml(body: string, context?: string): Record<string, Record<string, unknown>> {
  assert.doesNotMatch(body, NOT_XML_CHAR, context);
  return parseXML(body) as Record<string, Record<string, unknown>>;
}
