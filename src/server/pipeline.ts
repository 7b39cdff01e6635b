import { randomUUID } from "node:crypto";
import { rootPrincipal } from "../auth/identities.js";
import type { Principal } from "../auth/principal.js";
import { authErrorFor, parseSigV4, verifySigV4, type SignedRequestParts } from "../auth/sigv4.js";
import type { Emulator } from "../emulator.js";
import { AwsError, CommonErrors } from "../protocol/errors.js";
import { deserializeJsonInput, parseJsonBody, serializeJsonError, serializeJsonOutput } from "../protocol/json.js";
import {
  deserializeQueryInput,
  parseForm,
  serializeQueryError,
  serializeQueryResponse,
  type QueryParams,
} from "../protocol/query.js";
import { validateInput } from "../protocol/validate.js";
import type { RequestContext, ServiceDefinition } from "../services/service.js";

/**
 * The whole path of a request, top to bottom:
 *   health check → route (service, protocol, operation) → SigV4 auth → parse → validate → handler → serialize.
 * Every failure on the way becomes the routed service's error envelope; anything unexpected is InternalFailure.
 */

export interface RawRequest {
  method: string;
  /** Path and query string, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What one request did, for the per-request log line. */
export interface RequestSummary {
  operation: string;
  accountId?: string;
  status: number;
  error?: unknown;
}

interface Route {
  service: ServiceDefinition;
  protocol: "query" | "json";
  operation: string;
  /** Query protocol only: the form (body) and URL parameters. */
  params?: QueryParams;
}

const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/**
 * Every request is one unit of work of the store: what it changes is committed (durably, with a data directory)
 * before its answer leaves, and a request answered with an error changes nothing.
 */
export async function handleRequest(
  emulator: Emulator,
  request: RawRequest,
): Promise<{ response: RawResponse; summary: RequestSummary }> {
  try {
    return await emulator.store.transact(
      () => answer(emulator, request),
      ({ response }) => response.status < 400,
    );
  } catch (caught) {
    // Only the store throws here (it could not write): nothing was acknowledged.
    const response = serializeError(emulator, undefined, request, CommonErrors.internalFailure(), randomUUID());
    return { response, summary: { operation: "Unknown", status: response.status, error: caught } };
  }
}

async function answer(
  emulator: Emulator,
  request: RawRequest,
): Promise<{ response: RawResponse; summary: RequestSummary }> {
  const requestId = randomUUID();
  const [path = "/", query = ""] = request.url.split("?", 2) as [string, string?];
  if (request.method === "GET" && path === "/_trident/health") {
    return {
      response: reply(200, requestId, "application/json", JSON.stringify({ status: "ok" })),
      summary: { operation: "Health", status: 200 },
    };
  }
  let route: Route | undefined;
  let principal: Principal | undefined;
  try {
    route = routeRequest(emulator, request, query);
    const signed: SignedRequestParts = {
      method: request.method,
      path,
      query,
      headers: request.headers,
      body: request.body,
    };
    const auth = authenticate(
      emulator,
      signed,
      route.protocol,
      route.service.model.metadata.signingName ?? route.service.model.metadata.endpointPrefix,
    );
    principal = auth.principal;
    const input = parseInput(route, request.body);
    const operation = route.service.model.operations[route.operation]!;
    if (operation.input) validateInput(route.service.model, operation.input.shape, input, route.service.validation);
    const handler = route.service.handlers[route.operation];
    if (!handler) throw CommonErrors.notImplemented(route.service.displayName, route.operation);
    const ctx: RequestContext = { requestId, principal, region: auth.region, now: emulator.clock.now(), emulator };
    const output = await (handler as (input: unknown, ctx: RequestContext) => unknown)(input, ctx);
    return {
      response: serializeOutput(route, output, requestId),
      summary: { operation: route.operation, accountId: principal.accountId, status: 200 },
    };
  } catch (caught) {
    const error = caught instanceof AwsError ? caught : CommonErrors.internalFailure();
    const response = serializeError(emulator, route, request, error, requestId);
    return {
      response,
      summary: {
        operation: route?.operation ?? "Unknown",
        accountId: principal?.accountId,
        status: response.status,
        error: caught instanceof AwsError ? undefined : caught,
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------- route

function header(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** The SigV4 credential scope's service, from the Authorization header or a presigned URL. */
function signingService(request: RawRequest, query: string): string | undefined {
  const credential = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(header(request, "authorization") ?? "");
  if (credential) return credential[1];
  const presigned = /X-Amz-Credential=[^/&]+(?:%2F|\/)\d{8}(?:%2F|\/)[^/&%]+(?:%2F|\/)([^/&%]+)/i.exec(query);
  return presigned?.[1];
}

function routeRequest(emulator: Emulator, request: RawRequest, query: string): Route {
  const target = header(request, "x-amz-target");
  if (target !== undefined) {
    const kms = emulator.services.kms;
    const [prefix, operation] = target.split(".", 2);
    if (prefix !== kms.model.metadata.targetPrefix || !operation || !kms.model.operations[operation]) {
      throw new AwsError("UnknownOperationException", `Unknown operation ${target}`, 400);
    }
    return { service: kms, protocol: "json", operation };
  }
  const params = parseForm(query);
  const contentType = header(request, "content-type") ?? "";
  if (request.body.length > 0 && (contentType === "" || contentType.startsWith("application/x-www-form-urlencoded"))) {
    for (const [k, v] of parseForm(request.body.toString("utf8"))) params.set(k, v);
  }
  const action = params.get("Action");
  const service = pickQueryService(emulator, signingService(request, query), action);
  if (!action) throw new AwsError("MissingAction", "Could not find operation to perform.", 400);
  if (!service.model.operations[action]) throw CommonErrors.invalidAction(action);
  return { service, protocol: "query", operation: action, params };
}

/** `sts` in the credential scope is STS; `rds` is Neptune (Neptune, RDS and DocumentDB share that endpoint). */
function pickQueryService(
  emulator: Emulator,
  scopeService: string | undefined,
  action: string | undefined,
): ServiceDefinition {
  if (scopeService === "sts") return emulator.services.sts;
  if (scopeService === "rds") return emulator.services.neptune;
  if (action && emulator.services.sts.model.operations[action]) return emulator.services.sts;
  return emulator.services.neptune;
}

// ---------------------------------------------------------------------------------------------- auth

function authenticate(
  emulator: Emulator,
  request: SignedRequestParts,
  protocol: "query" | "json",
  signingName: string,
): { principal: Principal; region: string } {
  const fail = (failure: Parameters<typeof authErrorFor>[1]): never => {
    const { code, status, message } = authErrorFor(protocol, failure);
    throw new AwsError(code, message, status);
  };
  const creds = parseSigV4(request);
  if ("kind" in creds) return fail(creds);
  const region = creds.scope.region;
  if (creds.scope.service !== signingName) {
    const { code, status } = authErrorFor(protocol, { kind: "mismatch", message: "" });
    throw new AwsError(code, `Credential should be scoped to correct service: '${signingName}'. `, status);
  }
  const owner = emulator.identities.resolveAccessKey(creds.accessKeyId);
  if (!owner) {
    if (emulator.relaxedAuth && /^\d{12}$/.test(creds.accessKeyId))
      return { principal: rootPrincipal(creds.accessKeyId), region };
    return fail({ kind: "unknown-key" });
  }
  if (owner.sessionToken !== undefined && creds.sessionToken !== owner.sessionToken)
    return fail({ kind: "unknown-key" });
  if (owner.expiration && emulator.clock.now() >= owner.expiration) return fail({ kind: "expired-token" });
  if (!emulator.relaxedAuth) {
    const failure = verifySigV4(request, creds, owner.secretAccessKey, emulator.signatureClock.now());
    if (failure) return fail(failure);
  }
  return { principal: owner.principal, region };
}

// ---------------------------------------------------------------------------------------------- (de)serialize

function parseInput(route: Route, body: Buffer): Record<string, unknown> {
  const operation = route.service.model.operations[route.operation]!;
  if (!operation.input) return {};
  if (route.protocol === "json")
    return deserializeJsonInput(route.service.model, operation.input.shape, parseJsonBody(body));
  return deserializeQueryInput(route.service.model, operation.input.shape, route.params!);
}

function serializeOutput(route: Route, output: unknown, requestId: string): RawResponse {
  const model = route.service.model;
  if (route.protocol === "json") {
    return reply(
      200,
      requestId,
      JSON_CONTENT_TYPE,
      serializeJsonOutput(model, model.operations[route.operation]!.output?.shape, output),
    );
  }
  return reply(200, requestId, "text/xml", serializeQueryResponse(model, route.operation, output, requestId));
}

function serializeError(
  emulator: Emulator,
  route: Route | undefined,
  request: RawRequest,
  error: AwsError,
  requestId: string,
): RawResponse {
  const isJson = route ? route.protocol === "json" : header(request, "x-amz-target") !== undefined;
  if (isJson) return reply(error.status, requestId, JSON_CONTENT_TYPE, serializeJsonError(error));
  const service = route?.service ?? emulator.services.neptune;
  return reply(error.status, requestId, "text/xml", serializeQueryError(service.model, error, requestId));
}

/**
 * A refusal before the request could be read in full (an oversized body): the error envelope of the protocol the
 * headers name, since there is no body to route by.
 */
export function refuseUnread(emulator: Emulator, request: Omit<RawRequest, "body">, error: AwsError): RawResponse {
  return serializeError(emulator, undefined, { ...request, body: Buffer.alloc(0) }, error, randomUUID());
}

export function reply(status: number, requestId: string, contentType: string, body: string): RawResponse {
  return {
    status,
    headers: {
      "content-type": contentType,
      "content-length": String(Buffer.byteLength(body)),
      "x-amzn-requestid": requestId,
      date: new Date().toUTCString(),
    },
    body,
  };
}
