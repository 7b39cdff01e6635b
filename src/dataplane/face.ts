import { randomUUID } from "node:crypto";
import type { Emulator } from "../emulator.js";
import type { Arrival } from "../domain/neptune/data-plane/endpoint-routing.js";
import { openSession } from "../domain/neptune/data-plane/session.js";
import { AwsError } from "../protocol/errors.js";
import { bindRestJsonInput, RestJsonRouter, serializeRestJsonOutput } from "../protocol/rest-json.js";
import { validateInput, type ValidationStyle } from "../protocol/validate.js";
import { reply, type RawRequest, type RawResponse, type RequestSummary } from "../server/pipeline.js";
import { dataPlaneAccess } from "./authorize.js";
import { dataPlaneError, ERROR_CONTENT_TYPE, errorBody, internalFailure, NEPTUNEDATA } from "./errors.js";
import type { FastResetTokens } from "./fast-reset.js";
import { gremlinInput, isGremlinPath } from "./gremlin-http.js";
import { loaderRequest } from "./loader-http.js";
import { isOpenCypherPath, openCypherInput } from "./opencypher-http.js";
import { queryStatusRequest } from "./query-status-http.js";
import { encodeResponse, streamRequestHeaders } from "./streams-http.js";
import { DATA_PLANE_HANDLERS, unsupportedOperation, type DataPlaneContext } from "./operations.js";

/**
 * One request on a cluster's or an instance's data-plane port, top to bottom:
 *   the session (which cluster the port serves, in which role, whether it serves now) → the operation (openCypher's
 *   own encodings, else the neptunedata model's method + path) → bind → validate → handler → serialize.
 * Like the control plane, the whole request is one unit of work of the store: what the query writes is committed
 * with a 2xx answer, and an error answer changes nothing. On a cluster with IAM database authentication, the
 * caller is authenticated right after the session and authorized once the operation and its input are known
 * (authorize.ts).
 */

const ROUTER = new RestJsonRouter(NEPTUNEDATA);

/**
 * Model validation in Neptune's codes. *Decided*: a required member missing is MissingParameterException and a
 * constraint broken (an enum such as ExecuteFastReset's action) InvalidParameterException, the model's codes for
 * those faults (neptunedata has no ValidationException).
 */
const VALIDATION: ValidationStyle = {
  code: "InvalidParameterException",
  missingAsMissingParameter: true,
  missingParameterCode: "MissingParameterException",
};

/** `/pg/…` is graph-notebook's alias of `/propertygraph/…` (reference §1.2). */
function canonicalPath(path: string): string {
  return /^\/pg(\/|$)/i.test(path) ? "/propertygraph" + path.slice(3) : path;
}

type Handler = (input: unknown, ctx: DataPlaneContext) => unknown;

/** The operation's handler; one Trident does not serve is refused as such before its input is read. */
function handlerOf(operation: string): Handler {
  const handler = DATA_PLANE_HANDLERS[operation as keyof typeof DATA_PLANE_HANDLERS] as Handler | undefined;
  if (!handler) throw unsupportedOperation(operation);
  return handler;
}

/** A data-plane answer: its body text, or bytes when long or compressed (streams-http.ts). */
export type DataPlaneResponse = RawResponse;

export interface DataPlaneFace {
  emulator: Emulator;
  resets: FastResetTokens;
  /** Whether the data plane serves TLS (aws:SecureTransport). */
  secure: boolean;
}

export async function handleDataPlaneRequest(
  face: DataPlaneFace,
  port: number,
  arrival: Arrival,
  request: RawRequest,
): Promise<{ response: DataPlaneResponse; summary: RequestSummary }> {
  try {
    return await face.emulator.store.transact(
      () => answer(face, port, arrival, request),
      ({ response }) => response.status < 400,
    );
  } catch (caught) {
    // Only the store throws here (it could not write): nothing was acknowledged.
    const response = errorReply(internalFailure(), randomUUID());
    return { response, summary: { operation: "Unknown", status: response.status, error: caught } };
  }
}

async function answer(
  face: DataPlaneFace,
  port: number,
  arrival: Arrival,
  request: RawRequest,
): Promise<{ response: DataPlaneResponse; summary: RequestSummary }> {
  const requestId = randomUUID();
  let operation = "Unknown";
  let accountId: string | undefined;
  try {
    const [rawPath = "/", queryText = ""] = request.url.split("?", 2) as [string, string?];
    const path = canonicalPath(rawPath);
    const query = new URLSearchParams(queryText);
    // The cluster first: an endpoint that does not serve answers nothing else (Neptune's is unreachable then).
    const session = openSession(face.emulator.dataPlane, port, arrival);
    accountId = session.accountId;
    const access = dataPlaneAccess(face.emulator, session, request, face.secure);
    let input: Record<string, unknown>;
    let handler: Handler;
    if (isOpenCypherPath(path)) {
      operation = "ExecuteOpenCypherQuery";
      handler = handlerOf(operation);
      input = { ...openCypherInput(request.method, query, request.headers, request.body) };
    } else if (isGremlinPath(path)) {
      operation = "ExecuteGremlinQuery";
      handler = handlerOf(operation);
      input = { ...gremlinInput(request.method, query, request.headers, request.body) };
    } else {
      const status = queryStatusRequest({ method: request.method, path, query, body: request.body });
      const raw = loaderRequest(status.method, status.path, status.query, status.body);
      const match = ROUTER.match(status.method, raw.path, status.query);
      if (match.kind === "method")
        throw dataPlaneError(
          "MethodNotAllowedException",
          `The HTTP method ${request.method} is not allowed on ${rawPath}; use ${[...new Set(match.allowed)].join(" or ")}.`,
        );
      // *Decided*: a path that names no neptunedata operation is BadRequestException (400): the model has no
      // not-found code for a resource path, and Neptune gives BadRequestException to requests it cannot serve.
      if (match.kind === "none")
        throw dataPlaneError("BadRequestException", `No Neptune data-plane operation at ${request.method} ${rawPath}.`);
      operation = match.operation;
      handler = handlerOf(operation);
      input = bindRestJsonInput(
        NEPTUNEDATA,
        operation,
        {
          labels: match.labels,
          query: status.query,
          headers: streamRequestHeaders(path, request.headers),
          body: raw.body,
        },
        "BadRequestException",
      );
    }
    const shape = NEPTUNEDATA.operations[operation]!.input?.shape;
    if (shape) validateInput(NEPTUNEDATA, shape, input, VALIDATION);
    // *Decided*: authorized once the input is valid, since an openCypher request's actions depend on its query.
    access.authorize(operation, input);
    const output = handler(input, { session, now: face.emulator.clock.now(), resets: face.resets, requestId });
    const wire = serializeRestJsonOutput(NEPTUNEDATA, operation, output);
    const response = encodeResponse(
      withHeaders(reply(wire.status, requestId, "application/json;charset=UTF-8", wire.body), wire.headers),
      output,
    );
    return { response, summary: { operation, accountId, status: response.status } };
  } catch (caught) {
    const error = caught instanceof AwsError ? caught : internalFailure();
    const response = errorReply(error, requestId);
    return {
      response,
      summary: {
        operation,
        accountId,
        status: response.status,
        error: caught instanceof AwsError ? undefined : caught,
      },
    };
  }
}

export function errorReply(error: AwsError, requestId: string): RawResponse {
  return withHeaders(reply(error.status, requestId, ERROR_CONTENT_TYPE, errorBody(error, requestId)), {
    "x-amzn-errortype": error.code,
  });
}

const withHeaders = (response: RawResponse, headers: Record<string, string>): RawResponse => ({
  ...response,
  headers: { ...headers, ...response.headers },
});
