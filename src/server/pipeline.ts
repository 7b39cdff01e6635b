import { authenticate } from "../auth/authenticate.js";
import type { Principal } from "../auth/principal.js";
import { parseSigV4, type SigV4Credentials, type SigV4Failure, type SignedRequestParts } from "../auth/sigv4.js";
import type { Emulator } from "../emulator.js";
import { AwsError, CommonErrors } from "../protocol/errors.js";
import { readJsonBody, serializeJsonError, serializeJsonOutput } from "../protocol/json.js";
import {
  deserializeQueryInput,
  parseForm,
  serializeQueryError,
  serializeQueryResponse,
  type QueryParams,
} from "../protocol/query.js";
import { validateInput } from "../protocol/validate.js";
import { textBody } from "../protocol/chunks.js";
import type { RequestContext, ServiceDefinition, ServiceEntry } from "../services/service.js";
import { isAdminPath } from "./admin-paths.js";
import { idUuid } from "../util/random.js";
import { loadEmulatorParts } from "../emulator-parts.js";

/**
 * The whole path of a request, top to bottom:
 *   Trident's own endpoints (health, reset, state: admin.ts) → route (service, protocol, operation) → SigV4 auth
 *   → parse → the service's extensions out (ServiceDefinition.takeExtensions) → validate → handler → serialize.
 * Every failure on the way becomes the routed service's error envelope; anything unexpected is InternalFailure.
 * Routing needs no state, so it runs before the store's turn, and with it the operation's `prepare` (slow work
 * such as an RSA key pair, made while other requests are answered); the rest runs in the turn.
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
  /** What to send: a short text as it is (node:http writes it with the header), anything else as bytes. */
  body: Buffer | string;
}

/** What one request did, for the per-request log line (the data plane's faces: dataplane/face.ts). */
export interface RequestSummary {
  operation: string;
  accountId?: string;
  status: number;
  error?: unknown;
}

/**
 * A request's answer and what it did, for the per-request log line (its status is the response's): one object, made
 * whether or not anything logs.
 */
export interface Handled {
  response: RawResponse;
  operation: string;
  accountId?: string;
  /** What went wrong unexpectedly (an InternalFailure's cause). */
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

/** Every answer's x-amzn-RequestId (seeded with --seed-random, like every id: util/random.ts). */
const newRequestId = () => idUuid("request");

/**
 * Every request is one unit of work of the store: what it changes is committed (durably, with a data directory)
 * before its answer leaves, and a request answered with an error changes nothing.
 * The answer itself when it was made at once (most requests, in memory or changing nothing), else its promise: a
 * promise and its microtask cost a GetCallerIdentity more than its routing does. Never rejects.
 */
export function handleRequest(emulator: Emulator, request: RawRequest): Handled | Promise<Handled> {
  // Most operations prepare nothing: their route is taken without waiting a turn of the event loop.
  const routed = beforeTurn(emulator, request);
  if (routed instanceof Promise) return routed.then((ahead) => inTurn(emulator, request, ahead));
  return inTurn(emulator, request, routed);
}

/** The request's unit of work; most answer without waiting, and then no promise is made on the way. */
function inTurn(emulator: Emulator, request: RawRequest, ahead: BeforeTurn): Handled | Promise<Handled> {
  const done = emulator.store.transactNow(() => answer(emulator, request, ahead), keepsChanges);
  if (!(done instanceof Promise)) return done;
  return done.catch((caught: unknown) => {
    // Only the store throws here (it could not write): nothing was acknowledged.
    const response = serializeError(emulator, undefined, request, CommonErrors.internalFailure(), newRequestId());
    return { response, operation: "Unknown", error: caught };
  });
}

/** A unit of work is kept when its request succeeded: an error answer changes nothing. */
const keepsChanges = ({ response }: Handled) => response.status < 400;

/** A request routed (or refused) before its turn, and what its operation's `prepare` made. */
type Routing =
  { failure: unknown } | { signed: SignedRequestParts; credentials: SigV4Credentials | SigV4Failure; route: Route };
interface BeforeTurn {
  /** Absent for Trident's own endpoints. */
  routing?: Routing;
  prepared?: unknown;
}

/**
 * What needs no state, before the turn: the route and, when the operation has one, its `prepare`. A request whose
 * input does not parse or validate prepares nothing (its turn answers that, after authentication, as ever); nor
 * does a prepare that fails: the handler then answers InternalFailure. Authentication reads state (access keys,
 * policies), so it stays in the turn: a signed request with a wrong secret still has its key pair made, and dropped.
 */
function beforeTurn(emulator: Emulator, request: RawRequest): BeforeTurn | Promise<BeforeTurn> {
  const signed = signedParts(request);
  if (isAdminPath(signed.path)) return {};
  let routing: Routing;
  try {
    // Parsed once: the credential scope routes the request, then authenticates it.
    const credentials = parseSigV4(signed);
    const routed = routeRequest(emulator, signed, credentials);
    const { entry } = routed;
    // The service's code is imported on its first request (services/registry.ts); later ones take it at once.
    if (!entry.loaded) {
      return entry.load().then(
        (service) => prepared(request, { signed, credentials, route: routeTo(service, routed) }),
        (failure: unknown) => ({ routing: { failure } }),
      );
    }
    routing = { signed, credentials, route: routeTo(entry.loaded, routed) };
  } catch (failure) {
    return { routing: { failure } };
  }
  return prepared(request, routing);
}

function routeTo(service: ServiceDefinition, routed: RoutedTo): Route {
  return { service, protocol: routed.protocol, operation: routed.operation, params: routed.params };
}

/** The routed request, with what its operation's `prepare` (if it has one) made of its input. */
function prepared(
  request: RawRequest,
  routing: Exclude<Routing, { failure: unknown }>,
): BeforeTurn | Promise<BeforeTurn> {
  const prepare = routing.route.service.prepare?.[routing.route.operation];
  // A request without a well-formed signature is refused in its turn whatever its input: it prepares nothing.
  if (!prepare || "kind" in routing.credentials) return { routing };
  return prepareInput(routing, prepare as (input: unknown) => Promise<unknown>, request.body);
}

async function prepareInput(
  routing: Routing & { route: Route },
  prepare: (input: unknown) => Promise<unknown>,
  body: Buffer,
): Promise<BeforeTurn> {
  try {
    const { input } = readInput(routing.route, body);
    return { routing, prepared: await prepare(input) };
  } catch {
    return { routing };
  }
}

function answer(emulator: Emulator, request: RawRequest, ahead: BeforeTurn): Handled | Promise<Handled> {
  const requestId = newRequestId();
  const routing = ahead.routing;
  if (!routing) {
    // Only Trident's own endpoints are not routed. Their code is loaded on the first such request, with the
    // console's views (admin-paths.ts).
    // The console reads graphs and keys through the emulator's parts (emulator-parts.ts).
    return Promise.all([import("./admin.js"), loadEmulatorParts()]).then(([{ handleAdmin }]) =>
      handleAdmin(emulator, request, requestId),
    );
  }
  let route: Route | undefined;
  let principal: Principal | undefined;
  try {
    if ("failure" in routing) throw routing.failure;
    const { signed, credentials } = routing;
    route = routing.route;
    const now = emulator.clock.now();
    const auth = authenticate(
      emulator,
      signed,
      credentials,
      route.protocol,
      route.service.model.metadata.signingName ?? route.service.model.metadata.endpointPrefix,
      route.service.model.operations[route.operation]?.authtype === "none",
      now,
    );
    principal = auth.principal;
    const { input, extensions } = readInput(route, request.body);
    const handler = route.service.handlers[route.operation];
    if (!handler) throw CommonErrors.notImplemented(route.service.displayName, route.operation);
    const ctx: RequestContext = {
      requestId,
      principal,
      region: auth.region,
      now,
      emulator,
      extensions,
      prepared: ahead.prepared,
    };
    route.service.authorize?.(route.operation, input, ctx);
    const result = (handler as (input: unknown, ctx: RequestContext) => unknown)(input, ctx);
    // Most handlers answer at once: only a promise is waited for.
    if (result instanceof Promise) {
      const routed = route; // the closures below see them as they are now, not as `let`s that may change
      const caller = principal;
      return result.then(
        (output) => answered(emulator, request, routed, caller, output, requestId),
        (caught: unknown) => refused(emulator, request, routed, caller, caught, requestId),
      );
    }
    return answered(emulator, request, route, principal, result, requestId);
  } catch (caught) {
    return refused(emulator, request, route, principal, caught, requestId);
  }
}

/** The handler's output, serialized; a failure to serialize is the request's failure. */
function answered(
  emulator: Emulator,
  request: RawRequest,
  route: Route,
  principal: Principal,
  output: unknown,
  requestId: string,
): Handled {
  try {
    return {
      response: serializeOutput(route, output, requestId),
      operation: route.operation,
      accountId: principal.accountId,
    };
  } catch (caught) {
    return refused(emulator, request, route, principal, caught, requestId);
  }
}

/** A failure in the routed service's error envelope; anything but an AwsError is an InternalFailure. */
function refused(
  emulator: Emulator,
  request: RawRequest,
  route: Route | undefined,
  principal: Principal | undefined,
  caught: unknown,
  requestId: string,
): Handled {
  const error = caught instanceof AwsError ? caught : CommonErrors.internalFailure();
  return {
    response: serializeError(emulator, route, request, error, requestId),
    operation: route?.operation ?? "Unknown",
    accountId: principal?.accountId,
    error: caught instanceof AwsError ? undefined : caught,
  };
}

// ---------------------------------------------------------------------------------------------- route

/** What SigV4 covers of a request: the path and query apart, as received. */
export function signedParts(request: RawRequest): SignedRequestParts {
  const { url } = request;
  const mark = url.indexOf("?");
  if (mark < 0) return { method: request.method, path: url, query: "", headers: request.headers, body: request.body };
  // The query ends at a second "?", if any (as `split("?", 2)` cut it).
  const end = url.indexOf("?", mark + 1);
  const query = end < 0 ? url.slice(mark + 1) : url.slice(mark + 1, end);
  return { method: request.method, path: url.slice(0, mark), query, headers: request.headers, body: request.body };
}

function header(request: Pick<RawRequest, "headers">, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** What every SDK sends with a Query protocol body: taken as it is, without cutting and lower-casing it. */
const SDK_FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

/**
 * Whether a body is the Query protocol's form: no Content-Type or a form's, whatever its parameters and case
 * (media types are case-insensitive, RFC 9110 §8.3.1).
 */
function isFormBody(request: Pick<RawRequest, "headers">): boolean {
  const contentType = header(request, "content-type");
  if (contentType === undefined || contentType === SDK_FORM_CONTENT_TYPE) return true;
  const media = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return media === "" || media === "application/x-www-form-urlencoded";
}

/**
 * The HTTP methods each protocol is served on: awsJson1_1 is POST only; the Query protocol takes GET (parameters
 * in the URL) or POST (a form body) — "Query requests are HTTP or HTTPS requests that use the HTTP verb GET or
 * POST" (AWS Query API documentation). Any other method runs nothing. *Decided*: 405 MethodNotAllowed in the
 * protocol's envelope (no capture shows AWS's answer to PUT/DELETE/PATCH on these endpoints).
 */
const METHODS = { json: ["POST"], query: ["GET", "POST"] } as const;

function requireMethod(request: Pick<RawRequest, "method">, protocol: "query" | "json"): void {
  const allowed: readonly string[] = METHODS[protocol];
  if (!allowed.includes(request.method.toUpperCase()))
    throw new AwsError(
      "MethodNotAllowed",
      `The HTTP method ${request.method} is not allowed here; use ${allowed.join(" or ")}.`,
      405,
    );
}

/** Where a request goes, before its service's code is known to be loaded. */
interface RoutedTo extends Omit<Route, "service"> {
  entry: ServiceEntry;
}

function routeRequest(
  emulator: Emulator,
  request: SignedRequestParts,
  credentials: SigV4Credentials | SigV4Failure,
): RoutedTo {
  const target = header(request, "x-amz-target");
  if (target !== undefined) {
    requireMethod(request, "json");
    const kms = emulator.services.kms;
    const [prefix, operation] = target.split(".", 2);
    if (prefix !== kms.model.metadata.targetPrefix || !operation || !kms.model.operations[operation]) {
      throw new AwsError("UnknownOperationException", `Unknown operation ${target}`, 400);
    }
    return { entry: kms, protocol: "json", operation };
  }
  requireMethod(request, "query");
  const params = parseForm(request.query);
  if (request.body.length > 0 && isFormBody(request)) parseForm(request.body.toString("utf8"), params);
  const action = params.get("Action");
  const service = pickQueryService(emulator, "scope" in credentials ? credentials.scope.service : undefined, action);
  if (!action) throw new AwsError("MissingAction", "Could not find operation to perform.", 400);
  if (!service.model.operations[action]) throw CommonErrors.invalidAction(action);
  return { entry: service, protocol: "query", operation: action, params };
}

/**
 * `sts` in the credential scope is STS; `iam` is IAM (a global service: the SDKs sign its global endpoint for
 * `us-east-1`, and any served region is accepted as for the others, since IAM's state is global anyway); `rds` is
 * Neptune (Neptune, RDS and DocumentDB share that endpoint).
 */
function pickQueryService(
  emulator: Emulator,
  scopeService: string | undefined,
  action: string | undefined,
): ServiceEntry {
  if (scopeService === "sts") return emulator.services.sts;
  if (scopeService === "iam") return emulator.services.iam;
  if (scopeService === "rds") return emulator.services.neptune;
  if (action && emulator.services.sts.model.operations[action]) return emulator.services.sts;
  return emulator.services.neptune;
}

// ---------------------------------------------------------------------------------------------- (de)serialize

/** The operation's input: parsed, the service's extensions taken out, then validated against the model. */
function readInput(
  route: Route,
  body: Buffer,
): { input: Record<string, unknown>; extensions: Record<string, string> | undefined } {
  const input = parseInput(route, body);
  const extensions = route.service.takeExtensions?.(route.operation, input);
  const operation = route.service.model.operations[route.operation]!;
  if (operation.input) validateInput(route.service.model, operation.input.shape, input, route.service.validation);
  return { input, extensions };
}

function parseInput(route: Route, body: Buffer): Record<string, unknown> {
  const operation = route.service.model.operations[route.operation]!;
  if (!operation.input) return {};
  if (route.protocol === "json") return readJsonBody(route.service.model, operation.input.shape, body);
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
  return serializeError(emulator, undefined, { ...request, body: Buffer.alloc(0) }, error, newRequestId());
}

/**
 * An answer; a long text body is encoded (UTF-8) once here, a short one is sent as text (chunks.ts, textBody). Its
 * length is that of the bytes sent.
 */
export function reply(status: number, requestId: string, contentType: string, text: string | Buffer): RawResponse {
  const body = typeof text === "string" ? textBody(text) : text;
  return {
    status,
    headers: {
      "content-type": contentType,
      "content-length": String(typeof body === "string" ? Buffer.byteLength(body) : body.length),
      "x-amzn-requestid": requestId,
      date: httpDate(),
    },
    body,
  };
}

/**
 * The Date header: the wall-clock time (clients correct their clock skew from it, so never the emulator's clock),
 * to the second as HTTP dates are (RFC 9110 §5.6.7); formatted once per second, as node:http formats its own.
 */
let dateSecond = NaN;
let dateText = "";
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}
