import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import {
  authErrorFor,
  isSigV4Failure,
  parseSigV4,
  verifySigV4,
  type SigV4Credentials,
  type SigV4Failure,
  type SignedRequestParts,
} from "../../src/auth/sigv4.js";
import { Sha256 } from "../../src/auth/sha256.js";
import { createHash } from "node:crypto";

// --- Signing with the real SDK signer --------------------------------------------------------------------------

const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SIGNED_AT = new Date("2026-01-01T12:00:00Z");
const MINUTE = 60_000;
const MISMATCH_MESSAGE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function signerFor(service: string, sessionToken?: string): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken },
    region: "us-east-1",
    service,
    sha256: Sha256,
  });
}

/** The SDK's query encoding: RFC 3986, in insertion order (the verifier must sort). */
function toQueryString(query: HttpRequest["query"]): string {
  const encode = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value ?? ""]) parts.push(`${encode(name)}=${encode(item)}`);
  }
  return parts.join("&");
}

/** The request shape both `sign` and `presign` return. */
interface SdkRequest {
  method: string;
  path: string;
  query?: HttpRequest["query"];
  headers: Record<string, string>;
  body?: unknown;
}

/** What the server sees: node lowercases header names; the body arrives as a Buffer. */
function onTheWire(request: SdkRequest): SignedRequestParts {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return {
    method: request.method,
    path: request.path,
    query: toQueryString(request.query ?? {}),
    headers,
    body: Buffer.from((request.body as string | undefined) ?? ""),
  };
}

async function signed(request: HttpRequest, service: string, sessionToken?: string): Promise<SignedRequestParts> {
  return onTheWire(await signerFor(service, sessionToken).sign(request, { signingDate: SIGNED_AT }));
}

async function presigned(request: HttpRequest, expiresIn: number, sessionToken?: string): Promise<SignedRequestParts> {
  return onTheWire(await signerFor("sts", sessionToken).presign(request, { signingDate: SIGNED_AT, expiresIn }));
}

function httpRequest(init: {
  method: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}): HttpRequest {
  const headers: Record<string, string> = { host: "localhost:4566", ...init.headers };
  if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
  return new HttpRequest({
    method: init.method,
    protocol: "http:",
    hostname: "localhost",
    port: 4566,
    path: init.path ?? "/",
    query: init.query ?? {},
    headers,
    body: init.body,
  });
}

const STS_BODY = "Action=GetCallerIdentity&Version=2011-06-15";

function stsQueryPost(body = STS_BODY): HttpRequest {
  return httpRequest({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
}

function kmsJsonPost(target = "TrentService.ListKeys", body = "{}"): HttpRequest {
  return httpRequest({
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body,
  });
}

function stsPresignableGet(): HttpRequest {
  return httpRequest({ method: "GET", query: { Action: "GetCallerIdentity", Version: "2011-06-15" } });
}

// --- Verification helpers -------------------------------------------------------------------------------------

function parsed(parts: SignedRequestParts): SigV4Credentials {
  const creds = parseSigV4(parts);
  if (isSigV4Failure(creds)) assert.fail(`parse failed: ${creds.kind}: ${creds.message}`);
  return creds;
}

/** Parse then verify, returning the first failure (or undefined when the request is authentic). */
function verify(parts: SignedRequestParts, now = SIGNED_AT, secret = SECRET): SigV4Failure | undefined {
  const creds = parseSigV4(parts);
  return isSigV4Failure(creds) ? creds : verifySigV4(parts, creds, secret, now);
}

function withHeader(parts: SignedRequestParts, name: string, value: string | string[] | undefined) {
  return { ...parts, headers: { ...parts.headers, [name]: value } };
}

function withAuthorization(parts: SignedRequestParts, edit: (authorization: string) => string) {
  return withHeader(parts, "authorization", edit(parts.headers.authorization as string));
}

const minutesFromSigning = (minutes: number) => new Date(SIGNED_AT.getTime() + minutes * MINUTE);

// --- Tests ----------------------------------------------------------------------------------------------------

describe("SigV4 header authentication", () => {
  test("a Query POST (STS, form body) signed by the SDK verifies", async () => {
    const parts = await signed(stsQueryPost(), "sts");
    assert.equal(verify(parts), undefined);
  });

  test("a JSON POST (KMS, X-Amz-Target) signed by the SDK verifies", async () => {
    const parts = await signed(kmsJsonPost(), "kms");
    assert.equal(verify(parts), undefined);
  });

  test("parse exposes key, scope, time and signed headers", async () => {
    const creds = parsed(await signed(stsQueryPost(), "sts"));
    assert.equal(creds.accessKeyId, ACCESS_KEY_ID);
    assert.deepEqual(creds.scope, { date: "20260101", region: "us-east-1", service: "sts" });
    assert.equal(creds.amzDate, "20260101T120000Z");
    assert.equal(creds.requestTime.getTime(), SIGNED_AT.getTime());
    assert.equal(creds.presigned, false);
    assert.equal(creds.sessionToken, undefined);
    assert.ok(creds.signedHeaders.names.includes("host"));
    assert.ok(creds.signedHeaders.names.includes("x-amz-date"));
    assert.match(creds.signature, /^[0-9a-f]{64}$/);
  });

  test("the session token comes from x-amz-security-token", async () => {
    const parts = await signed(stsQueryPost(), "sts", "FwoGZXIvYXdzEXAMPLETOKEN");
    assert.equal(parsed(parts).sessionToken, "FwoGZXIvYXdzEXAMPLETOKEN");
    assert.equal(verify(parts), undefined);
  });

  test("a GET with Action=… in the query string verifies, whatever the parameter order on the wire", async () => {
    const request = httpRequest({
      method: "GET",
      query: {
        Version: "2011-06-15",
        Action: "AssumeRole",
        RoleSessionName: "a b/c~*(x)!",
        RoleArn: "arn:aws:iam::1:role/r",
      },
    });
    const parts = await signed(request, "sts");
    assert.equal(verify(parts), undefined);
    const reordered = { ...parts, query: parts.query.split("&").reverse().join("&") };
    assert.equal(verify(reordered), undefined);
    // botocore puts spaces on the wire as '+' but signs them as %20
    const plusForSpace = { ...parts, query: parts.query.replace("%20", "+") };
    assert.notEqual(plusForSpace.query, parts.query);
    assert.equal(verify(plusForSpace), undefined);
    const literalPlus = { ...parts, query: parts.query.replace("%20", "%2B") };
    assert.equal(verify(literalPlus)?.kind, "mismatch");
    const tampered = { ...parts, query: parts.query.replace("AssumeRole", "GetCallerIdentity") };
    assert.equal(verify(tampered)?.kind, "mismatch");
  });

  test("repeated query keys are ordered by value", async () => {
    const request = httpRequest({ method: "GET", query: { Action: "ListKeys" } });
    request.query["Tag"] = ["zeta", "alpha"];
    const parts = await signed(request, "sts");
    assert.equal(verify(parts), undefined);
  });

  test("a path with encoded characters is encoded once more, as the SDK does for non-S3 services", async () => {
    const parts = await signed(httpRequest({ method: "GET", path: "/2015-01-01/a%3Ab/c d/" }), "sts");
    assert.equal(verify(parts), undefined);
  });

  test("header values with repeated inner whitespace are canonicalised the way the SDK does", async () => {
    const request = kmsJsonPost();
    request.headers["x-amz-meta-note"] = "  a   b \t c  ";
    const parts = await signed(request, "kms");
    // node strips the ends of header values but keeps inner whitespace
    const received = withHeader(parts, "x-amz-meta-note", "a   b \t c");
    assert.ok(parsed(received).signedHeaders.names.includes("x-amz-meta-note"));
    assert.equal(verify(received), undefined);
  });

  test("a header received several times is canonicalised as its values joined by ','", async () => {
    const request = kmsJsonPost();
    request.headers["x-amz-meta-list"] = "a b,c";
    const parts = await signed(request, "kms");
    assert.equal(verify(withHeader(parts, "x-amz-meta-list", ["a   b", " c "])), undefined);
  });

  test("the Credential and SignedHeaders readings kept from the last request follow each request's own text", async () => {
    const other = new SignatureV4({
      credentials: { accessKeyId: "AKIAOTHERKEY0000000", secretAccessKey: "other-secret" },
      region: "eu-west-1",
      service: "sts",
      sha256: Sha256,
    });
    const first = await signed(stsQueryPost(), "sts");
    const second = onTheWire(
      await other.sign(
        httpRequest({
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", "x-amz-meta-note": "n" },
          body: STS_BODY,
        }),
        { signingDate: SIGNED_AT },
      ),
    );
    const malformed = withAuthorization(first, (a) => a.replace("/us-east-1/", "/"));
    for (let round = 0; round < 2; round++) {
      const a = parsed(first);
      assert.equal(a.accessKeyId, ACCESS_KEY_ID);
      assert.deepEqual(a.scope, { date: "20260101", region: "us-east-1", service: "sts" });
      assert.equal(a.signedHeaders.names.includes("x-amz-meta-note"), false);
      assert.equal(verifySigV4(first, a, SECRET, SIGNED_AT), undefined);
      assert.equal(verify(malformed)?.kind, "incomplete");
      const b = parsed(second);
      assert.equal(b.accessKeyId, "AKIAOTHERKEY0000000");
      assert.deepEqual(b.scope, { date: "20260101", region: "eu-west-1", service: "sts" });
      assert.ok(b.signedHeaders.names.includes("x-amz-meta-note"));
      assert.equal(verifySigV4(second, b, "other-secret", SIGNED_AT), undefined);
      // Each request's signature against the other's reading: never verifies.
      assert.equal(verifySigV4(first, b, "other-secret", SIGNED_AT)?.kind, "mismatch");
    }
  });

  test("the date reading kept from the last request follows each request's own date", async () => {
    const later = new Date(SIGNED_AT.getTime() + 1000);
    const first = await signed(stsQueryPost(), "sts");
    const second = onTheWire(await signerFor("sts").sign(stsQueryPost(), { signingDate: later }));
    const unreadable = withHeader(first, "x-amz-date", "20260101T12000Z");
    for (let round = 0; round < 2; round++) {
      const a = parsed(first);
      assert.equal(a.requestTime.getTime(), SIGNED_AT.getTime());
      assert.equal(a.amzDate, "20260101T120000Z");
      assert.equal(verify(unreadable)?.kind, "incomplete");
      const b = parsed(second);
      assert.equal(b.requestTime.getTime(), later.getTime());
      assert.equal(b.amzDate, "20260101T120001Z");
      assert.equal(verifySigV4(second, b, SECRET, SIGNED_AT), undefined);
      // One request's signature with the other's date: never verifies.
      assert.equal(verifySigV4(first, b, SECRET, SIGNED_AT)?.kind, "mismatch");
    }
  });

  test("the signing-key cache stays correct past its bound", async () => {
    const request = stsQueryPost();
    const secrets = Array.from({ length: 300 }, (_, i) => `secret-${i}`);
    for (const secret of secrets) {
      const signer = new SignatureV4({
        credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: secret },
        region: "us-east-1",
        service: "sts",
        sha256: Sha256,
      });
      const parts = onTheWire(await signer.sign(request, { signingDate: SIGNED_AT }));
      assert.equal(verify(parts, SIGNED_AT, secret), undefined);
      assert.equal(verify(parts, SIGNED_AT, SECRET)?.kind, "mismatch");
    }
  });
});

/** A copy of `body` whose last byte is `byte`. */
function withLastByte(body: Buffer, byte: number): Buffer {
  const copy = Buffer.from(body);
  copy[copy.length - 1] = byte;
  return copy;
}

describe("SigV4 tamper matrix", () => {
  const cases: Array<[string, () => Promise<SignedRequestParts>, (parts: SignedRequestParts) => SignedRequestParts]> =
    [];
  const sts = () => signed(stsQueryPost(), "sts");
  const kms = () => signed(kmsJsonPost(), "kms");
  for (const [label, sign] of [
    ["STS", sts],
    ["KMS", kms],
  ] as const) {
    cases.push(
      [`${label}: body changed`, sign, (p) => ({ ...p, body: Buffer.from(p.body.toString() + " ") })],
      // As long as the signed body, one byte apart: the bodies whose hash is remembered (payload-hash.ts) are told apart.
      [`${label}: body changed, as long`, sign, (p) => ({ ...p, body: withLastByte(p.body, 0x20) })],
      [`${label}: content-type changed`, sign, (p) => withHeader(p, "content-type", "text/plain")],
      [`${label}: X-Amz-Date moved by one second`, sign, (p) => withHeader(p, "x-amz-date", "20260101T120001Z")],
      [
        `${label}: region in scope changed`,
        sign,
        (p) => withAuthorization(p, (a) => a.replace("/us-east-1/", "/eu-west-1/")),
      ],
      [
        `${label}: service in scope changed`,
        sign,
        (p) => withAuthorization(p, (a) => a.replace(/\/(sts|kms)\//, "/rds/")),
      ],
      [`${label}: signature truncated`, sign, (p) => withAuthorization(p, (a) => a.slice(0, -2))],
      [`${label}: signature not hex`, sign, (p) => withAuthorization(p, (a) => a.slice(0, -2) + "zz")],
      [`${label}: method changed`, sign, (p) => ({ ...p, method: "PUT" })],
      [`${label}: path changed`, sign, (p) => ({ ...p, path: "/other" })],
      [`${label}: query added`, sign, (p) => ({ ...p, query: "Action=AssumeRole" })],
    );
  }
  cases.push(
    ["KMS: X-Amz-Target changed", kms, (p) => withHeader(p, "x-amz-target", "TrentService.ScheduleKeyDeletion")],
    [
      "STS: body and x-amz-content-sha256 changed together",
      sts,
      (p) => {
        const body = Buffer.from("Action=AssumeRole&Version=2011-06-15");
        const hash = createHash("sha256").update(body).digest("hex");
        return { ...withHeader(p, "x-amz-content-sha256", hash), body };
      },
    ],
  );

  for (const [name, sign, tamper] of cases) {
    test(`${name} → mismatch`, async () => {
      const failure = verify(tamper(await sign()));
      assert.deepEqual(failure, { kind: "mismatch", message: MISMATCH_MESSAGE });
    });
  }

  test("wrong secret → mismatch", async () => {
    const failure = verify(await signed(stsQueryPost(), "sts"), SIGNED_AT, SECRET + "x");
    assert.deepEqual(failure, { kind: "mismatch", message: MISMATCH_MESSAGE });
  });

  test("X-Amz-Date on another day than the credential scope → mismatch", async () => {
    const parts = withHeader(await signed(stsQueryPost(), "sts"), "x-amz-date", "20260102T000500Z");
    const failure = verify(parts, new Date("2026-01-02T00:00:00Z"));
    assert.deepEqual(failure, {
      kind: "mismatch",
      message:
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T000500Z'.",
    });
  });
});

describe("SigV4 clock skew", () => {
  test("a request 16 minutes old has expired", async () => {
    const failure = verify(await signed(stsQueryPost(), "sts"), minutesFromSigning(16));
    assert.deepEqual(failure, {
      kind: "expired",
      message: "Signature expired: 20260101T120000Z is now earlier than 20260101T120100Z (20260101T121600Z - 15 min.)",
    });
  });

  test("a request 16 minutes in the future is not yet current", async () => {
    const failure = verify(await signed(kmsJsonPost(), "kms"), minutesFromSigning(-16));
    assert.deepEqual(failure, {
      kind: "not-yet-current",
      message:
        "Signature not yet current: 20260101T120000Z is still later than 20260101T115900Z (20260101T114400Z + 15 min.)",
    });
  });

  test("exactly 15 minutes either way is still accepted", async () => {
    const parts = await signed(stsQueryPost(), "sts");
    assert.equal(verify(parts, minutesFromSigning(15)), undefined);
    assert.equal(verify(parts, minutesFromSigning(-15)), undefined);
  });

  test("the clock is checked before the signature", async () => {
    const failure = verify(await signed(stsQueryPost(), "sts"), minutesFromSigning(30), "wrong secret");
    assert.equal(failure?.kind, "expired");
  });
});

describe("SigV4 presigned URLs", () => {
  test("a presigned GET verifies within its lifetime and carries its expiry", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    assert.equal(parts.headers.authorization, undefined);
    const creds = parsed(parts);
    assert.equal(creds.presigned, true);
    assert.equal(creds.expiresSeconds, 300);
    assert.deepEqual(creds.scope, { date: "20260101", region: "us-east-1", service: "sts" });
    assert.equal(verify(parts, minutesFromSigning(4)), undefined);
  });

  test("a presigned GET past X-Amz-Expires has expired", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    assert.equal(verify(parts, new Date(SIGNED_AT.getTime() + 300_000)), undefined);
    assert.deepEqual(verify(parts, new Date(SIGNED_AT.getTime() + 301_000)), {
      kind: "presign-expired",
      message: "Request has expired",
    });
  });

  test("a presigned URL lives longer than the 15-minute skew window if X-Amz-Expires says so", async () => {
    const parts = await presigned(stsPresignableGet(), 3600);
    assert.equal(verify(parts, minutesFromSigning(59)), undefined);
  });

  test("a presigned URL dated in the future is not yet current", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    assert.equal(verify(parts, minutesFromSigning(-16))?.kind, "not-yet-current");
  });

  test("the session token comes from X-Amz-Security-Token and is signed", async () => {
    const parts = await presigned(stsPresignableGet(), 300, "FwoGZXIvYXdzEXAMPLETOKEN");
    assert.equal(parsed(parts).sessionToken, "FwoGZXIvYXdzEXAMPLETOKEN");
    assert.equal(verify(parts), undefined);
    const swapped = { ...parts, query: parts.query.replace("EXAMPLETOKEN", "OTHERTOKEN") };
    assert.equal(verify(swapped)?.kind, "mismatch");
  });

  test("tampering with the query or adding a body is a mismatch", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    assert.equal(verify({ ...parts, query: parts.query.replace("GetCallerIdentity", "AssumeRole") })?.kind, "mismatch");
    assert.equal(
      verify({ ...parts, query: parts.query.replace("X-Amz-Expires=300", "X-Amz-Expires=900") })?.kind,
      "mismatch",
    );
    assert.equal(verify({ ...parts, body: Buffer.from("Action=AssumeRole") })?.kind, "mismatch");
  });

  test("UNSIGNED-PAYLOAD is accepted for a presigned request without a body", async () => {
    const request = stsPresignableGet();
    request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
    const parts = await presigned(request, 300);
    assert.equal(verify(parts), undefined);
  });

  test("missing presign parameters are incomplete", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    const failure = verify({ ...parts, query: parts.query.replace(/&?X-Amz-Signature=[0-9a-f]+/, "") });
    assert.deepEqual(failure, {
      kind: "incomplete",
      message:
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    });
  });

  test("X-Amz-Expires beyond a week is incomplete", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    const failure = verify({ ...parts, query: parts.query.replace("X-Amz-Expires=300", "X-Amz-Expires=604801") });
    assert.equal(failure?.kind, "incomplete");
  });
});

describe("SigV4 parse failures", () => {
  test("no Authorization header and no presign parameters → missing", () => {
    const parts: SignedRequestParts = {
      method: "POST",
      path: "/",
      query: "",
      headers: { host: "localhost:4566" },
      body: Buffer.from(STS_BODY),
    };
    assert.deepEqual(parseSigV4(parts), { kind: "missing", message: "Request is missing Authentication Token" });
    assert.deepEqual(parseSigV4({ ...parts, query: "Action=GetCallerIdentity" }), {
      kind: "missing",
      message: "Request is missing Authentication Token",
    });
  });

  test("a header without Signature → incomplete, in AWS's words", async () => {
    const parts = withAuthorization(await signed(stsQueryPost(), "sts"), (a) => a.replace(/, Signature=[0-9a-f]+/, ""));
    assert.deepEqual(parseSigV4(parts), {
      kind: "incomplete",
      message: `Authorization header requires 'Signature' parameter. Authorization=${parts.headers.authorization}`,
    });
  });

  test("every missing part is reported, in AWS's order", () => {
    const authorization = "AWS4-HMAC-SHA256 SignedHeaders=host";
    const failure = parseSigV4({
      method: "GET",
      path: "/",
      query: "",
      headers: { authorization },
      body: Buffer.alloc(0),
    });
    assert.deepEqual(failure, {
      kind: "incomplete",
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${authorization}`,
    });
  });

  test("a header missing X-Amz-Date and Date → incomplete", async () => {
    const parts = withHeader(await signed(stsQueryPost(), "sts"), "x-amz-date", undefined);
    assert.deepEqual(parseSigV4(parts), {
      kind: "incomplete",
      message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${parts.headers.authorization}`,
    });
  });

  test("a Date header stands in for X-Amz-Date", async () => {
    const parts = withHeader(await signed(stsQueryPost(), "sts"), "x-amz-date", undefined);
    const creds = parsed({ ...parts, headers: { ...parts.headers, date: "Thu, 01 Jan 2026 12:00:00 GMT" } });
    assert.equal(creds.amzDate, "20260101T120000Z");
  });

  test("a malformed X-Amz-Date → incomplete", async () => {
    const parts = withHeader(await signed(stsQueryPost(), "sts"), "x-amz-date", "20260231T120000Z");
    assert.equal(verify(parts)?.kind, "incomplete");
  });

  test("X-Amz-Date names one real instant: rolled-over fields, two-digit years and other shapes are refused", async () => {
    const parts = await signed(stsQueryPost(), "sts");
    for (const date of [
      "20261301T120000Z", // month 13
      "20260101T240000Z", // hour 24 (Date.UTC would roll it into the next day)
      "20260101T120060Z", // second 60
      "00420101T120000Z", // year 42 (Date.UTC would read 1942)
      "2026010aT120000Z",
      "20260101 120000Z",
      "20260101T120000",
      "20260101T1200000Z",
      "２0260101T120000Z", // a full-width digit is no digit
    ]) {
      assert.deepEqual(
        parseSigV4(withHeader(parts, "x-amz-date", date)),
        {
          kind: "incomplete",
          message: `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        },
        date,
      );
    }
    // A leap day is a real day; the parsed instant is the one written.
    const leap = parsed(withHeader(parts, "x-amz-date", "20240229T235959Z"));
    assert.equal(leap.amzDate, "20240229T235959Z");
    assert.equal(leap.requestTime.toISOString(), "2024-02-29T23:59:59.000Z");
  });

  test("a malformed credential scope → incomplete", async () => {
    const parts = await signed(stsQueryPost(), "sts");
    const short = withAuthorization(parts, (a) => a.replace("/us-east-1/", "/"));
    assert.deepEqual(parseSigV4(short), {
      kind: "incomplete",
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${ACCESS_KEY_ID}/20260101/sts/aws4_request'`,
    });
    const terminator = withAuthorization(parts, (a) => a.replace("aws4_request", "aws4_reqest"));
    assert.deepEqual(parseSigV4(terminator), {
      kind: "incomplete",
      message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'.",
    });
  });

  test("another algorithm is treated as lacking every SigV4 parameter", () => {
    const failure = parseSigV4({
      method: "GET",
      path: "/",
      query: "",
      headers: { authorization: "Bearer abc", "x-amz-date": "20260101T120000Z" },
      body: Buffer.alloc(0),
    });
    assert.deepEqual(failure, {
      kind: "incomplete",
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
    });
  });
});

describe("SigV4 ambiguities AWS refuses", () => {
  const HOST_MESSAGE = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

  test("SignedHeaders without host → mismatch, in AWS's words, even when the signature is right", async () => {
    const request = kmsJsonPost();
    const parts = await signerFor("kms").sign(request, {
      signingDate: SIGNED_AT,
      unsignableHeaders: new Set(["host"]),
    });
    const wire = onTheWire(parts);
    assert.doesNotMatch(wire.headers.authorization as string, /SignedHeaders=[^,]*\bhost\b/);
    assert.deepEqual(verify(wire), { kind: "mismatch", message: HOST_MESSAGE });
  });

  test("a presigned URL whose X-Amz-SignedHeaders lacks host → mismatch", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    const query = parts.query.replace(/X-Amz-SignedHeaders=[^&]*/, "X-Amz-SignedHeaders=x-amz-date");
    assert.deepEqual(verify({ ...parts, query }), { kind: "mismatch", message: HOST_MESSAGE });
  });

  test("an upper-case hex signature → mismatch (SigV4 signatures are lower-case hex)", async () => {
    const parts = await signed(stsQueryPost(), "sts");
    assert.equal(verify(parts), undefined);
    const upper = withAuthorization(parts, (a) =>
      a.replace(/Signature=([0-9a-f]+)/, (_m, hex: string) => `Signature=${hex.toUpperCase()}`),
    );
    assert.deepEqual(verify(upper), { kind: "mismatch", message: MISMATCH_MESSAGE });
  });

  test("an upper-case hex X-Amz-Signature in a presigned URL → mismatch", async () => {
    const parts = await presigned(stsPresignableGet(), 300);
    const query = parts.query.replace(
      /X-Amz-Signature=([0-9a-f]+)/,
      (_m, hex: string) => `X-Amz-Signature=${hex.toUpperCase()}`,
    );
    assert.deepEqual(verify({ ...parts, query }), { kind: "mismatch", message: MISMATCH_MESSAGE });
  });

  for (const name of ["X-Amz-Signature", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token"]) {
    test(`a presigned URL with ${name} twice → incomplete, not last-wins`, async () => {
      const parts = await presigned(stsPresignableGet(), 300, "FwoGZXIvYXdzEXAMPLETOKEN");
      const value = new RegExp(`${name}=([^&]*)`).exec(parts.query)![1];
      // The genuine value last: a last-wins parser would accept this request.
      const query = `${name}=${value === "300" ? "60" : "0" + value!.slice(1)}&${parts.query}`;
      assert.deepEqual(verify({ ...parts, query }), {
        kind: "incomplete",
        message: `The query string contains the '${name}' parameter more than once.`,
      });
    });
  }

  for (const name of ["Credential", "SignedHeaders", "Signature"]) {
    test(`an Authorization header with ${name} twice → incomplete, not last-wins`, async () => {
      const parts = await signed(stsQueryPost(), "sts");
      const value = new RegExp(`${name}=([^,]*)`).exec(parts.headers.authorization as string)![1]!;
      const doubled = withAuthorization(parts, (a) => a.replace(`${name}=`, `${name}=x${value}, ${name}=`));
      assert.deepEqual(verify(doubled), {
        kind: "incomplete",
        message: `Authorization header contains the '${name}' parameter more than once.`,
      });
    });
  }

  test("an Authorization part without '=' → incomplete, in AWS's words", async () => {
    const parts = await signed(stsQueryPost(), "sts");
    const broken = withAuthorization(parts, (a) => a.replace(", SignedHeaders=", ", junk, SignedHeaders="));
    assert.deepEqual(verify(broken), {
      kind: "incomplete",
      message: `'junk' not a valid key=value pair (missing equal-sign) in Authorization header: '${broken.headers.authorization as string}'.`,
    });
  });

  test("an Authorization header and presign parameters together → incomplete", async () => {
    const header = await signed(stsQueryPost(), "sts");
    const url = await presigned(stsPresignableGet(), 300);
    assert.deepEqual(verify({ ...header, query: url.query }), {
      kind: "incomplete",
      message:
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.",
    });
  });
});

describe("authErrorFor", () => {
  const failure = (kind: SigV4Failure["kind"]): SigV4Failure => ({ kind, message: `msg-${kind}` });

  test("awsQuery codes and statuses", () => {
    assert.deepEqual(authErrorFor("query", failure("missing")), {
      code: "MissingAuthenticationToken",
      status: 403,
      message: "msg-missing",
    });
    assert.deepEqual(authErrorFor("query", failure("incomplete")), {
      code: "IncompleteSignature",
      status: 400,
      message: "msg-incomplete",
    });
    for (const kind of ["mismatch", "expired", "not-yet-current", "presign-expired"] as const) {
      assert.deepEqual(authErrorFor("query", failure(kind)), {
        code: "SignatureDoesNotMatch",
        status: 403,
        message: `msg-${kind}`,
      });
    }
    assert.deepEqual(authErrorFor("query", { kind: "unknown-key" }), {
      code: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid.",
    });
    assert.deepEqual(authErrorFor("query", { kind: "expired-token" }), {
      code: "ExpiredToken",
      status: 403,
      message: "The security token included in the request is expired",
    });
  });

  test("awsJson __type values, all 400", () => {
    const expected: Array<[SigV4Failure | { kind: "unknown-key" | "expired-token" }, string]> = [
      [failure("missing"), "MissingAuthenticationTokenException"],
      [failure("incomplete"), "IncompleteSignatureException"],
      [failure("mismatch"), "InvalidSignatureException"],
      [failure("expired"), "InvalidSignatureException"],
      [failure("not-yet-current"), "InvalidSignatureException"],
      [failure("presign-expired"), "InvalidSignatureException"],
      [{ kind: "unknown-key" }, "UnrecognizedClientException"],
      [{ kind: "expired-token" }, "ExpiredTokenException"],
    ];
    for (const [input, code] of expected) {
      const error = authErrorFor("json", input);
      assert.equal(error.code, code);
      assert.equal(error.status, 400);
    }
    assert.equal(
      authErrorFor("json", { kind: "unknown-key" }).message,
      "The security token included in the request is invalid.",
    );
  });
});
