import { KMSClient } from "@aws-sdk/client-kms";
import { NeptuneClient } from "@aws-sdk/client-neptune";
import { STSClient } from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT, TARGET_ACCOUNT } from "../../src/config/defaults.js";
import { Emulator, type EmulatorOptions } from "../../src/emulator.js";
import { Sha256 } from "../../src/auth/sha256.js";
export { Sha256 };
import { InProcessHandler } from "../../src/server/inprocess.js";
import { handleRequest } from "../../src/server/pipeline.js";
import { ManualClock } from "../../src/state/clock.js";

export const A = SOURCE_ACCOUNT;
export const B = TARGET_ACCOUNT;
export const REGION = "us-east-1";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ADMIN: Record<string, Credentials> = {
  [A]: { ...DEFAULT_CREDENTIALS[A] },
  [B]: { ...DEFAULT_CREDENTIALS[B] },
};

export interface Clients {
  sts: STSClient;
  kms: KMSClient;
  neptune: NeptuneClient;
}

/**
 * The emulator in-process, with a manual clock (starting at real time so SDK signatures are current) and real
 * SDK v3 clients whose requests go through the whole pipeline, SigV4 included, without a socket.
 */
export function inProcess(options: EmulatorOptions = {}) {
  const clock = new ManualClock(Date.now());
  const emulator = new Emulator({ clock, ...options });
  const handler = new InProcessHandler(emulator);
  const clientsFor = (credentials: Credentials, region = REGION): Clients => {
    const config = { region, endpoint: "http://trident.local", credentials, requestHandler: handler, maxAttempts: 1 };
    return { sts: new STSClient(config), kms: new KMSClient(config), neptune: new NeptuneClient(config) };
  };
  return {
    emulator,
    clock,
    clientsFor,
    a: clientsFor(ADMIN[A]!),
    b: clientsFor(ADMIN[B]!),
    /** A raw, signed request: for checking the wire (status, `<Code>`, `__type`) that SDKs forgive. */
    raw: (request: RawCall) => rawCall(emulator, request),
  };
}

export interface RawCall {
  service: "sts" | "rds" | "kms" | "iam";
  credentials?: Credentials;
  /** Query: form parameters (Action, Version, …). */
  params?: Record<string, string>;
  /** JSON: the operation and body. */
  target?: string;
  json?: unknown;
  region?: string;
  signingDate?: Date;
  headers?: Record<string, string>;
  /** The HTTP method (default POST). */
  method?: string;
  /** The body exactly as sent, instead of one built from `params` or `json` (malformed input). */
  body?: string;
}

export interface RawResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Query: `<Code>`; JSON: `__type`. */
  code?: string;
  message?: string;
}

export async function signRequest(call: RawCall, host = "trident.local"): Promise<HttpRequest> {
  const isJson = call.service === "kms";
  const body =
    call.body ?? (isJson ? JSON.stringify(call.json ?? {}) : new URLSearchParams(call.params ?? {}).toString());
  const request = new HttpRequest({
    method: call.method ?? "POST",
    protocol: "http:",
    hostname: host,
    path: "/",
    headers: {
      host,
      "content-type": isJson ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded; charset=utf-8",
      ...(isJson ? { "x-amz-target": `TrentService.${call.target}` } : {}),
      ...call.headers,
    },
    body,
  });
  if (!call.credentials) return request;
  const signer = new SignatureV4({
    service: call.service,
    region: call.region ?? REGION,
    credentials: call.credentials,
    sha256: Sha256,
  });
  return (await signer.sign(request, { signingDate: call.signingDate })) as HttpRequest;
}

/**
 * A SigV4 presigned URL (query form) of a GET with the call's `params`, built as the SDKs build a cross-Region
 * `PreSignedUrl` (host signed bare, parameters in the query); `expiresIn` in seconds (default 3600, the SDKs').
 */
export async function presignedUrl(
  call: RawCall & { expiresIn?: number },
  host = `rds.${call.region ?? REGION}.amazonaws.com`,
): Promise<string> {
  const request = new HttpRequest({
    method: "GET",
    protocol: "https:",
    hostname: host,
    path: "/",
    headers: { host },
    query: { ...call.params },
  });
  const signer = new SignatureV4({
    service: call.service,
    region: call.region ?? REGION,
    credentials: call.credentials ?? ADMIN[A]!,
    sha256: Sha256,
  });
  const signed = await signer.presign(request, { signingDate: call.signingDate, expiresIn: call.expiresIn ?? 3600 });
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  return `https://${host}/?${query}`;
}

export async function rawCall(emulator: Emulator, call: RawCall): Promise<RawResult> {
  const signed = await signRequest({ credentials: ADMIN[A], ...call });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const { response } = await handleRequest(emulator, {
    method: signed.method,
    url: "/",
    headers,
    body: Buffer.from(signed.body as string),
  });
  const body = response.body.toString("utf8");
  return { status: response.status, headers: response.headers, body, ...errorOf(body) };
}

export function errorOf(body: string): { code?: string; message?: string } {
  if (body.startsWith("{")) {
    const parsed = JSON.parse(body) as { __type?: string; message?: string };
    return { code: parsed.__type, message: parsed.message };
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return {
    code,
    message: message
      ?.replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&"),
  };
}

/** Runs `fn` and returns the error it throws; fails if it does not throw. */
export async function rejection(
  fn: () => Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; $fault?: string; name: string }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number }; name: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
