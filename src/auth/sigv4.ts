/**
 * AWS Signature Version 4 verification (header and presigned-query forms), as a pure module: no I/O, no global
 * clock, no identity lookup. The caller parses, looks up the secret for `accessKeyId`, then verifies.
 *
 * Canonicalisation mirrors what the SDK signers (`@smithy/signature-v4`, botocore) do for non-S3 services, because
 * what matters is reproducing the exact bytes the client signed.
 */
import { createHmac } from "node:crypto";
import { payloadSha256Hex, sha256Hex } from "./payload-hash.js";
import { HmacKey } from "./hmac-key.js";

export interface SignedRequestParts {
  method: string;
  /** Raw path as received on the wire, without the query. */
  path: string;
  /** Raw query string without the leading '?'. */
  query: string;
  /** Node's IncomingHttpHeaders: lowercased names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Credentials {
  accessKeyId: string;
  signature: string;
  /** Shared by the requests that send the same SignedHeaders text: read only. */
  signedHeaders: SignedHeaders;
  /** Shared by the requests that send the same Credential text: read only. */
  readonly scope: { readonly date: string; readonly region: string; readonly service: string };
  /** yyyyMMddTHHmmssZ */
  amzDate: string;
  /** Shared by the requests that send the same date text: read only. */
  requestTime: Date;
  sessionToken?: string;
  presigned: boolean;
  expiresSeconds?: number;
}

/** The SignedHeaders parameter, read once per text. */
export interface SignedHeaders {
  /** As sent: the canonical request's signed-headers line (the names joined by ";" again would be this text). */
  readonly text: string;
  /** The names, as sent: each heads its canonical header line. */
  readonly names: readonly string[];
  /** The same names as node:http keys its headers, in lower case. */
  readonly keys: readonly string[];
}

export type SigV4Failure = {
  kind: "missing" | "incomplete" | "mismatch" | "expired" | "not-yet-current" | "presign-expired";
  message: string;
};

/** Failures decided outside this module (credential lookup) that still need an AWS error shape. */
export type CredentialFailure = { kind: "unknown-key" | "expired-token" };

export interface AuthError {
  code: string;
  status: number;
  message: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const ALGORITHM_PREFIX = ALGORITHM + " ";
const SCOPE_TERMINATOR = "aws4_request";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 60 * 60;

const MISSING_TOKEN_MESSAGE = "Request is missing Authentication Token";
const MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const BOTH_FORMS_MESSAGE =
  "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.";
/** IAM/DynamoDB's words for a signature that does not cover the Host header (aws/aws-sdk-php#2469). */
const HOST_NOT_SIGNED_MESSAGE = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
const PRESIGN_PARAMS_MESSAGE =
  "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

function fail(kind: SigV4Failure["kind"], message: string): SigV4Failure {
  return { kind, message };
}

export function isSigV4Failure(result: SigV4Credentials | SigV4Failure | undefined): result is SigV4Failure {
  return result !== undefined && "kind" in result;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

export function parseSigV4(req: SignedRequestParts): SigV4Credentials | SigV4Failure {
  const authorization = headerValue(req.headers, "authorization");
  const presign = req.query === "" ? undefined : findPresignParams(req.query);
  if (authorization !== undefined) {
    // *Decided*: a request carrying both forms is ambiguous (which one authenticates it?); refused, as S3 refuses
    // it ("Only one auth mechanism allowed"), rather than silently preferring one.
    if (presign !== undefined) return fail("incomplete", BOTH_FORMS_MESSAGE);
    return parseAuthorizationHeader(authorization, req.headers);
  }
  if (presign !== undefined) return "kind" in presign ? presign : parsePresignParams(presign);
  return fail("missing", MISSING_TOKEN_MESSAGE);
}

function parseAuthorizationHeader(
  authorization: string,
  headers: SignedRequestParts["headers"],
): SigV4Credentials | SigV4Failure {
  const params = parseAuthorizationParams(authorization);
  if ("kind" in params) return params;
  const date = headerValue(headers, "x-amz-date") ?? headerValue(headers, "date");
  if (
    params.Credential === undefined ||
    params.Signature === undefined ||
    params.SignedHeaders === undefined ||
    date === undefined
  )
    return incompleteAuthorization(params, date, authorization);
  return assembleCredentials({
    credential: params.Credential,
    signature: params.Signature,
    signedHeaders: params.SignedHeaders,
    date,
    sessionToken: headerValue(headers, "x-amz-security-token"),
    presigned: false,
  });
}

/** Every part an Authorization header lacks, in AWS's order. */
function incompleteAuthorization(
  params: AuthorizationParams,
  date: string | undefined,
  authorization: string,
): SigV4Failure {
  const problems: string[] = [];
  if (params.Credential === undefined) problems.push("Authorization header requires 'Credential' parameter.");
  if (params.Signature === undefined) problems.push("Authorization header requires 'Signature' parameter.");
  if (params.SignedHeaders === undefined) problems.push("Authorization header requires 'SignedHeaders' parameter.");
  if (date === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  return fail("incomplete", `${problems.join(" ")} Authorization=${authorization}`);
}

interface AuthorizationParams {
  Credential?: string;
  SignedHeaders?: string;
  Signature?: string;
}

/**
 * `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; another algorithm yields no parameters. A part
 * without `=` is refused in AWS's words (IncompleteSignature "'…' not a valid key=value pair (missing
 * equal-sign) in Authorization header: '…'.", iann0036/cloud9-sync#10). *Decided*: a parameter given twice is
 * refused too, never last-wins: two credentials or signatures in one header make the request ambiguous.
 * Read by positions (every signed request has one): no array of parts, and each parameter stored by its own name.
 */
function parseAuthorizationParams(authorization: string): AuthorizationParams | SigV4Failure {
  // Every member there from the start: one shape for every request's parameters, none added one by one.
  const params: AuthorizationParams = { Credential: undefined, SignedHeaders: undefined, Signature: undefined };
  if (!authorization.startsWith(ALGORITHM_PREFIX)) return params;
  for (let start = ALGORITHM_PREFIX.length; start <= authorization.length;) {
    let end = authorization.indexOf(",", start);
    if (end < 0) end = authorization.length;
    const eq = authorization.indexOf("=", start);
    if (eq < 0 || eq > end) {
      const part = authorization.slice(start, end).trim();
      if (part !== "")
        return fail(
          "incomplete",
          `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
        );
    } else {
      const name = trimmedSlice(authorization, start, eq);
      const value = trimmedSlice(authorization, eq + 1, end);
      let refused: SigV4Failure | undefined;
      if (name === "Credential") refused = setOnce(params, "Credential", value);
      else if (name === "SignedHeaders") refused = setOnce(params, "SignedHeaders", value);
      else if (name === "Signature") refused = setOnce(params, "Signature", value);
      if (refused) return refused;
    }
    start = end + 1;
  }
  return params;
}

/**
 * `text.slice(start, end).trim()`, with one string made instead of two when nothing is to be trimmed (what SDKs
 * send: `, ` between parameters, so a name starts with a space and a value ends without one).
 */
function trimmedSlice(text: string, start: number, end: number): string {
  while (start < end && text.charCodeAt(start) === SPACE) start++;
  if (start === end) return "";
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  const slice = text.slice(start, end);
  return isPrintableAscii(first) && isPrintableAscii(last) ? slice : slice.trim();
}

const SPACE = 0x20;
/** Never whitespace for `trim()`: visible ASCII. */
const isPrintableAscii = (code: number) => code > SPACE && code < 0x7f;

/** Stores an Authorization parameter, or refuses it when it was given already; an empty one counts as absent. */
function setOnce(
  params: AuthorizationParams,
  name: keyof AuthorizationParams,
  value: string,
): SigV4Failure | undefined {
  if (params[name] !== undefined) return fail("incomplete", duplicateParameterMessage(name, "Authorization header"));
  if (value !== "") params[name] = value;
  return undefined;
}

function duplicateParameterMessage(name: string, where: string): string {
  return `${where} contains the '${name}' parameter more than once.`;
}

interface PresignParams {
  algorithm?: string;
  credential?: string;
  date?: string;
  expires?: string;
  signedHeaders?: string;
  signature?: string;
  securityToken?: string;
}

const PRESIGN_PARAM_NAMES = new Map<string, keyof PresignParams>([
  ["X-Amz-Algorithm", "algorithm"],
  ["X-Amz-Credential", "credential"],
  ["X-Amz-Date", "date"],
  ["X-Amz-Expires", "expires"],
  ["X-Amz-SignedHeaders", "signedHeaders"],
  ["X-Amz-Signature", "signature"],
  ["X-Amz-Security-Token", "securityToken"],
]);

/**
 * The X-Amz-* query parameters, or undefined when the query does not look presigned at all. *Decided*: an auth
 * parameter given twice (two X-Amz-Signature, say) is refused rather than resolved last-wins: the canonical query
 * would sign both while only one is checked.
 */
function findPresignParams(rawQuery: string): PresignParams | SigV4Failure | undefined {
  if (!rawQuery.includes("X-Amz-")) return undefined;
  const params: PresignParams = {};
  let duplicate: string | undefined;
  for (const [name, value] of decodeQueryPairs(rawQuery)) {
    const field = PRESIGN_PARAM_NAMES.get(name);
    if (field === undefined) continue;
    if (params[field] !== undefined) duplicate ??= name;
    params[field] = value;
  }
  const looksPresigned = params.algorithm ?? params.credential ?? params.signature;
  if (looksPresigned === undefined) return undefined;
  return duplicate === undefined
    ? params
    : fail("incomplete", duplicateParameterMessage(duplicate, "The query string"));
}

function parsePresignParams(params: PresignParams): SigV4Credentials | SigV4Failure {
  const { algorithm, credential, signature, date, signedHeaders, expires } = params;
  if (!algorithm || !credential || !signature || !date || !signedHeaders || !expires) {
    return fail("incomplete", PRESIGN_PARAMS_MESSAGE);
  }
  if (algorithm !== ALGORITHM) return fail("incomplete", `X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const expiresSeconds = parseExpires(expires);
  if (typeof expiresSeconds !== "number") return expiresSeconds;

  const parsed = assembleCredentials({
    credential,
    signature,
    signedHeaders,
    date,
    sessionToken: params.securityToken,
    presigned: true,
  });
  if (!isSigV4Failure(parsed)) parsed.expiresSeconds = expiresSeconds;
  return parsed;
}

function parseExpires(expires: string): number | SigV4Failure {
  if (!/^-?\d+$/.test(expires)) return fail("incomplete", "X-Amz-Expires should be a number");
  const seconds = Number(expires);
  if (seconds < 0) return fail("incomplete", "X-Amz-Expires must be non-negative");
  if (seconds > MAX_PRESIGN_SECONDS) {
    return fail("incomplete", `X-Amz-Expires must be less than a week (in seconds) that is; ${MAX_PRESIGN_SECONDS}`);
  }
  return seconds;
}

interface RawCredentialFields {
  credential: string;
  signature: string;
  signedHeaders: string;
  /** X-Amz-Date (ISO-8601 basic) or an HTTP Date header. */
  date: string;
  sessionToken: string | undefined;
  presigned: boolean;
}

/** Shared by both forms: validates the credential scope and the timestamp. */
function assembleCredentials(raw: RawCredentialFields): SigV4Credentials | SigV4Failure {
  const credential = credentialRead(raw.credential);
  if ("kind" in credential) return credential;
  const signedHeaders = signedHeaderList(raw.signedHeaders);
  // SigV4 requires the host header to be signed [AWS SigV4: "the host header must be included as a signed
  // header"]; otherwise a signature could be replayed against another endpoint. AWS answers SignatureDoesNotMatch.
  if (!signedHeaders.names.includes("host")) return fail("mismatch", HOST_NOT_SIGNED_MESSAGE);
  const requestDate = requestDateRead(raw.date);
  if (requestDate === undefined) {
    return fail(
      "incomplete",
      `Date must be in ISO-8601 'basic format'. Got '${raw.date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const credentials: SigV4Credentials = {
    accessKeyId: credential.accessKeyId,
    signature: raw.signature,
    signedHeaders,
    scope: credential.scope,
    amzDate: requestDate.amzDate,
    requestTime: requestDate.time,
    presigned: raw.presigned,
  };
  if (raw.sessionToken !== undefined) credentials.sessionToken = raw.sessionToken;
  return credentials;
}

/**
 * `read`, keeping the last text's reading: a client sends the same SignedHeaders and Credential text request after
 * request, and the same date for a second. A reading is frozen and is a parse of the text alone, never of what the
 * text verifies.
 */
function lastReadingOf<T>(read: (text: string) => T): (text: string) => T {
  let lastText = "";
  let last = read(lastText);
  return (text) => {
    if (text !== lastText) {
      last = read(text);
      lastText = text;
    }
    return last;
  };
}

/** The SignedHeaders parameter read. */
const signedHeaderList = lastReadingOf(readSignedHeaders);

function readSignedHeaders(text: string): SignedHeaders {
  const names = Object.freeze(text.split(";"));
  return Object.freeze({ text, names, keys: Object.freeze(names.map((name) => name.toLowerCase())) });
}

/** A Credential parameter read: its access key id and scope (frozen: shared by the requests that send its text). */
interface Credential {
  readonly accessKeyId: string;
  readonly scope: SigV4Credentials["scope"];
}

/** The Credential parameter read, or why it is refused. */
const credentialRead = lastReadingOf(readCredential);

function readCredential(text: string): Credential | SigV4Failure {
  const parts = credentialParts(text);
  if (parts === undefined) {
    return fail(
      "incomplete",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${text}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  if (terminator !== SCOPE_TERMINATOR) {
    return fail(
      "incomplete",
      `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'.`,
    );
  }
  return Object.freeze({ accessKeyId, scope: Object.freeze({ date, region, service }) });
}

/** `keyid/date/region/service/term`: exactly five parts, none empty; found by positions, without a split. */
function credentialParts(credential: string): [string, string, string, string, string] | undefined {
  const a = credential.indexOf("/");
  const b = credential.indexOf("/", a + 1);
  const c = credential.indexOf("/", b + 1);
  const d = credential.indexOf("/", c + 1);
  if (a < 1 || b <= a + 1 || c <= b + 1 || d <= c + 1 || d + 1 >= credential.length) return undefined;
  if (credential.indexOf("/", d + 1) >= 0) return undefined;
  return [
    credential.slice(0, a),
    credential.slice(a + 1, b),
    credential.slice(b + 1, c),
    credential.slice(c + 1, d),
    credential.slice(d + 1),
  ];
}

/** A request's date read: its time, and its ISO-8601 basic form (what the string to sign holds). */
interface RequestDate {
  readonly time: Date;
  readonly amzDate: string;
}

/** The X-Amz-Date (or Date) header read: the requests a client sends within one second share its text. */
const requestDateRead = lastReadingOf(readRequestDate);

function readRequestDate(value: string): RequestDate | undefined {
  const time = parseRequestDate(value);
  if (time === undefined) return undefined;
  // A basic-format date that parsed is its own canonical form (parseAmzDate reads back every field).
  return Object.freeze({ time, amzDate: hasAmzDateShape(value) ? value : formatAmzDate(time) });
}

/** ISO-8601 basic (X-Amz-Date) or, failing that, an HTTP date (the `Date` header). */
function parseRequestDate(value: string): Date | undefined {
  if (hasAmzDateShape(value)) return parseAmzDate(value);
  if (!/[a-z]/i.test(value)) return undefined; // not an HTTP date; avoid Date's lenient numeric parsing
  const httpDate = new Date(value);
  return Number.isNaN(httpDate.getTime()) ? undefined : httpDate;
}

const DIGIT_0 = 0x30;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

/** `yyyyMMddTHHmmssZ`: eight digits, T, six digits, Z. Checked by character: every signed request has one. */
function hasAmzDateShape(value: string): boolean {
  if (value.length !== 16 || value.charCodeAt(8) !== LETTER_T || value.charCodeAt(15) !== LETTER_Z) return false;
  for (let i = 0; i < 15; i++) {
    if (i === 8) continue;
    const digit = value.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}

/** The digits of `value` from `start` to `end` as a number (the shape is checked already). */
function digitsAt(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + value.charCodeAt(i) - DIGIT_0;
  return n;
}

/**
 * A date of the basic shape, or undefined when it names no real instant (20260231T…, hour 24, second 60, year
 * 0042: Date.UTC would roll the first ones over and read years 0-99 as 19xx). Checked by arithmetic, not by
 * reading a Date's fields back: every signed request has one.
 */
function parseAmzDate(value: string): Date | undefined {
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 4, 6);
  const day = digitsAt(value, 6, 8);
  const hour = digitsAt(value, 9, 11);
  const minute = digitsAt(value, 11, 13);
  const second = digitsAt(value, 13, 15);
  const exact =
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  return exact
    ? new Date(daysSinceEpoch(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000)
    : undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The days from 1970-01-01 to a date of the proleptic Gregorian calendar (years from 100 on), by arithmetic:
 * Date.UTC does the same with more checks, and every signed request has a date (H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", days_from_civil).
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year; // years counted from March: the leap day ends one
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The days of `month` (1-12) of `year`, in the proleptic Gregorian calendar that Date uses. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]!;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, "");
}

// ---------------------------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------------------------

export function verifySigV4(
  req: SignedRequestParts,
  creds: SigV4Credentials,
  secretAccessKey: string,
  now: Date,
): SigV4Failure | undefined {
  const timeFailure = checkRequestTime(creds, now);
  if (timeFailure !== undefined) return timeFailure;
  const requestDay = creds.amzDate.slice(0, 8);
  if (creds.scope.date !== requestDay) {
    return fail(
      "mismatch",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${creds.scope.date}' != '${requestDay}', from '${creds.amzDate}'.`,
    );
  }
  // The signature is the string SigV4 defines, lower-case hex of the HMAC: anything else can never match.
  if (creds.signature.length !== SIGNATURE_HEX_LENGTH) return fail("mismatch", MISMATCH_MESSAGE);

  const signingKey = signingKeyFor(secretAccessKey, creds.scope);
  const canonicalPrefix = canonicalRequestWithoutPayload(req, creds);
  // The payload hash is always computed from the body rather than taken from `x-amz-content-sha256`: trusting the
  // header would let a signed request carry a different body. A client that signed the header's value signed the
  // same hash, so honest requests still verify. UNSIGNED-PAYLOAD is accepted only for presigned requests without
  // a body, where there is nothing left unauthenticated.
  if (req.body.length > 0)
    return signs(signingKey, creds, canonicalPrefix + payloadSha256Hex(req.body))
      ? undefined
      : fail("mismatch", MISMATCH_MESSAGE);
  if (signs(signingKey, creds, canonicalPrefix + EMPTY_BODY_SHA256)) return undefined;
  if (creds.presigned && signs(signingKey, creds, canonicalPrefix + UNSIGNED_PAYLOAD)) return undefined;
  return fail("mismatch", MISMATCH_MESSAGE);
}

/** Whether the request's signature is the one `signingKey` makes of this canonical request. */
function signs(signingKey: HmacKey, creds: SigV4Credentials, canonicalRequest: string): boolean {
  const { date, region, service } = creds.scope;
  const stringToSign =
    `${ALGORITHM}\n${creds.amzDate}\n${date}/${region}/${service}/${SCOPE_TERMINATOR}\n` + sha256Hex(canonicalRequest);
  return sameHex(signingKey.hex(stringToSign), creds.signature);
}

const SIGNATURE_HEX_LENGTH = 64;

/**
 * Whether two strings of SIGNATURE_HEX_LENGTH characters are equal, in a time that does not depend on where they
 * differ (as timingSafeEqual compares bytes): every character is looked at, whatever the first ones were. Compared
 * as strings, so an upper-case spelling of the right signature is a different signature, as in SigV4.
 */
function sameHex(expected: string, provided: string): boolean {
  let difference = 0;
  for (let i = 0; i < SIGNATURE_HEX_LENGTH; i++) difference |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  return difference === 0;
}

function checkRequestTime(creds: SigV4Credentials, now: Date): SigV4Failure | undefined {
  const requestMs = creds.requestTime.getTime();
  const nowMs = now.getTime();
  if (creds.presigned && creds.expiresSeconds !== undefined) {
    if (nowMs > requestMs + creds.expiresSeconds * 1000) return fail("presign-expired", "Request has expired");
  } else if (requestMs < nowMs - CLOCK_SKEW_MS) {
    const earliest = formatAmzDate(new Date(nowMs - CLOCK_SKEW_MS));
    return fail(
      "expired",
      `Signature expired: ${creds.amzDate} is now earlier than ${earliest} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  // A URL presigned in the future is as suspect as a header-signed request from the future.
  if (requestMs > nowMs + CLOCK_SKEW_MS) {
    const latest = formatAmzDate(new Date(nowMs + CLOCK_SKEW_MS));
    return fail(
      "not-yet-current",
      `Signature not yet current: ${creds.amzDate} is still later than ${latest} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
  return undefined;
}

function canonicalRequestWithoutPayload(req: SignedRequestParts, creds: SigV4Credentials): string {
  return (
    `${req.method}\n${canonicalUri(req.path)}\n${canonicalQueryString(req.query)}\n` +
    `${canonicalHeaders(req.headers, creds.signedHeaders)}\n${creds.signedHeaders.text}\n`
  );
}

/** Non-S3 services: normalise the received path, then URI-encode each segment once more. */
function canonicalUri(path: string): string {
  if (path === "" || path === "/") return "/";
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(uriEncode(segment));
  }
  const leading = path.startsWith("/") ? "/" : "";
  const trailing = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return leading + segments.join("/") + trailing;
}

/** Sorted by encoded key then encoded value; X-Amz-Signature is never part of what was signed. */
function canonicalQueryString(rawQuery: string): string {
  if (rawQuery === "") return "";
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of decodeQueryPairs(rawQuery)) {
    if (name === "X-Amz-Signature") continue;
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort(comparePairs);
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

function comparePairs(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

function canonicalHeaders(headers: SignedRequestParts["headers"], signedHeaders: SignedHeaders): string {
  const { names, keys } = signedHeaders;
  let out = "";
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = headers[keys[i]!];
    const canonical = Array.isArray(value)
      ? value.map(canonicalHeaderValue).join(",")
      : canonicalHeaderValue(value ?? "");
    out += `${name}:${canonical}\n`;
  }
  return out;
}

const NEEDS_HEADER_CLEANUP = /[\t\r\n]| {2}|^ | $/;

/** As the SDK signers do: line breaks and tabs become spaces, runs collapse to one, ends are trimmed. */
function canonicalHeaderValue(value: string): string {
  if (!NEEDS_HEADER_CLEANUP.test(value)) return value;
  return value.replace(/[ \t\r\n]+/g, " ").replace(/^ | $/g, "");
}

// ---------------------------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------------------------

function headerValue(headers: SignedRequestParts["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Splits on '&' and the first '='; form-decodes each side. */
function decodeQueryPairs(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([formDecode(name), formDecode(value)]);
  }
  return pairs;
}

/**
 * '+' means a space: botocore sends spaces in query parameters as '+' yet signs them as %20, while every SDK
 * sends a literal '+' as %2B.
 */
function formDecode(text: string): string {
  const spaced = text.includes("+") ? text.replace(/\+/g, " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced; // malformed escapes: keep the bytes as sent; the signature will decide
  }
}

/** RFC 3986: everything but unreserved characters is percent-encoded (encodeURIComponent spares !'()*). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const SIGNING_KEY_CACHE_LIMIT = 256;
const signingKeyCache = new Map<string, HmacKey>();

/**
 * The four-step HMAC chain changes once a day per (secret, region, service); cache it, ready to sign with (its
 * padded blocks made: hmac-key.ts), oldest entry out first.
 */
function signingKeyFor(secretAccessKey: string, scope: SigV4Credentials["scope"]): HmacKey {
  // A client sends request after request with one key and scope: the last key found is checked first, by
  // comparing four short strings, before a cache key is built and hashed.
  const last = lastSigningKey;
  if (
    last !== undefined &&
    last.secretAccessKey === secretAccessKey &&
    last.date === scope.date &&
    last.region === scope.region &&
    last.service === scope.service
  )
    return last.key;
  const key = cachedSigningKey(secretAccessKey, scope);
  lastSigningKey = { secretAccessKey, ...scope, key };
  return key;
}

let lastSigningKey: ({ secretAccessKey: string; key: HmacKey } & SigV4Credentials["scope"]) | undefined;

function cachedSigningKey(secretAccessKey: string, scope: SigV4Credentials["scope"]): HmacKey {
  const cacheKey = `${scope.date}\n${scope.region}\n${scope.service}\n${secretAccessKey}`;
  const cached = signingKeyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let key: Buffer = Buffer.from(`AWS4${secretAccessKey}`, "utf8");
  for (const step of [scope.date, scope.region, scope.service, SCOPE_TERMINATOR]) {
    key = createHmac("sha256", key).update(step).digest();
  }
  if (signingKeyCache.size >= SIGNING_KEY_CACHE_LIMIT) {
    signingKeyCache.delete(signingKeyCache.keys().next().value!);
  }
  const signingKey = new HmacKey(key);
  signingKeyCache.set(cacheKey, signingKey);
  return signingKey;
}

// ---------------------------------------------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------------------------------------------

type AuthFailureKind = SigV4Failure["kind"] | CredentialFailure["kind"];

/** [awsQuery code, awsQuery HTTP status, awsJson __type]; awsJson auth errors are always 400. */
const AUTH_ERROR_CODES: Record<AuthFailureKind, [string, number, string]> = {
  missing: ["MissingAuthenticationToken", 403, "MissingAuthenticationTokenException"],
  incomplete: ["IncompleteSignature", 400, "IncompleteSignatureException"],
  mismatch: ["SignatureDoesNotMatch", 403, "InvalidSignatureException"],
  expired: ["SignatureDoesNotMatch", 403, "InvalidSignatureException"],
  "not-yet-current": ["SignatureDoesNotMatch", 403, "InvalidSignatureException"],
  "presign-expired": ["SignatureDoesNotMatch", 403, "InvalidSignatureException"],
  "unknown-key": ["InvalidClientTokenId", 403, "UnrecognizedClientException"],
  "expired-token": ["ExpiredToken", 403, "ExpiredTokenException"],
};

const CREDENTIAL_FAILURE_MESSAGES: Record<CredentialFailure["kind"], string> = {
  "unknown-key": "The security token included in the request is invalid.",
  "expired-token": "The security token included in the request is expired",
};

export function authErrorFor(protocol: "query" | "json", failure: SigV4Failure | CredentialFailure): AuthError {
  const [queryCode, queryStatus, jsonType] = AUTH_ERROR_CODES[failure.kind];
  const message = "message" in failure ? failure.message : CREDENTIAL_FAILURE_MESSAGES[failure.kind];
  return protocol === "query"
    ? { code: queryCode, status: queryStatus, message }
    : { code: jsonType, status: 400, message };
}
