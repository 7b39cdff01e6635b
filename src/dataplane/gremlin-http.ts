import type { ExecuteGremlinQueryInput } from "../generated/neptunedata.js";
import { responseJson } from "../gremlin/graphson.js";
import { RawJson } from "../protocol/rest-json.js";
import { dataPlaneError, queryMethod } from "./errors.js";
import { evaluateOn, refuseBindings } from "./gremlin-run.js";
import type { DataPlaneContext } from "./operations.js";

/**
 * Gremlin over HTTP at `/gremlin` (reference §1.2, §3.1): a string script as
 *   GET  /gremlin?gremlin=…            (Neptune's HTTP endpoint)
 *   POST /gremlin {"gremlin": "…"}     (Neptune's HTTP endpoint, and ExecuteGremlinQuery of the neptunedata SDK)
 * becomes ExecuteGremlinQuery's input; the script runs as over WebSocket (one transaction, src/gremlin/script) and
 * the answer is Gremlin Server's HTTP response, `{"requestId","status":{…},"result":{"data":…,"meta":…}}`, in
 * GraphSON 3 (the `accept` header, the SDK's `serializer`). Errors are Neptune's data-plane error JSON.
 */

/** Whether a path is Gremlin's query endpoint (`/gremlin/status` and the others are the model's). */
export const isGremlinPath = (path: string) => path.replace(/\/+$/, "").toLowerCase() === "/gremlin";

export function gremlinInput(
  method: string,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): ExecuteGremlinQueryInput {
  const verb = queryMethod(method, "/gremlin");
  const accept = headers.accept;
  const serializer = Array.isArray(accept) ? accept.join(",") : accept;
  const script = verb === "GET" ? query.get("gremlin") : scriptOf(body);
  // *Decided*: no script is MissingParameterException (400), the model's code for an absent required parameter.
  if (script === null || script === undefined || script.trim() === "")
    throw dataPlaneError("MissingParameterException", "Missing parameter: gremlin (the Gremlin script).");
  return serializer === undefined ? { gremlinQuery: script } : { gremlinQuery: script, serializer };
}

/**
 * A POST body's script. Gremlin Server reads the body as JSON whatever its Content-Type (curl -d sends a form
 * type). Of TinkerPop's other members, `bindings` are refused as Neptune refuses them (gremlin-run.ts);
 * `language` and `aliases` are ignored.
 */
function scriptOf(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw dataPlaneError("BadRequestException", "The request body is not valid JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw dataPlaneError("BadRequestException", "The request body must be a JSON object.");
  const { gremlin, bindings } = parsed as Record<string, unknown>;
  if (gremlin !== undefined && typeof gremlin !== "string")
    throw dataPlaneError("BadRequestException", "gremlin must be a string (the Gremlin script).");
  refuseBindings(bindings);
  return gremlin;
}

const GRAPHSON3 = "application/vnd.gremlin-v3.0+json";

/**
 * Whether the answer is GraphSON 3 with types, from the `accept` header (a list of media ranges, the first one
 * Trident writes wins): `application/vnd.gremlin-v3.0+json` (`;types=false` for plain JSON). *Decided*: no
 * header, `*\/*` and `application/json` get GraphSON 3 with types, Gremlin Server's HTTP default (reference §3.1
 * shows Neptune's body so); GraphSON 1 and 2 and GraphBinary are not written by Trident and are refused.
 */
function withTypes(serializer: string | undefined): boolean {
  if (serializer === undefined || serializer.trim() === "") return true;
  for (const range of serializer.split(",")) {
    const [type = "", ...parameters] = range.split(";").map((part) => part.trim().toLowerCase());
    if (type === "*/*" || type === "application/json") return true;
    if (type === GRAPHSON3) return !parameters.some((p) => p.replace(/\s+/g, "") === "types=false");
  }
  throw dataPlaneError(
    "UnsupportedOperationException",
    `The serializer '${serializer}' is not supported by Trident: use ${GRAPHSON3} (or ${GRAPHSON3};types=false ` +
      "for plain JSON).",
  );
}

function executeGremlinQuery(input: ExecuteGremlinQueryInput, ctx: DataPlaneContext): RawJson {
  const typed = withTypes(input.serializer);
  const values = evaluateOn(ctx.session, input.gremlinQuery);
  // Gremlin Server's HTTP answer is one message with every result, status 200 even when there are none.
  return new RawJson(responseJson({ requestId: ctx.requestId, code: 200, message: "", data: values }, false, typed));
}

export const GREMLIN_HTTP_HANDLERS = { ExecuteGremlinQuery: executeGremlinQuery };
