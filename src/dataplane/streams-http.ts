import { gzipSync } from "node:zlib";
import type { IncomingHttpHeaders } from "node:http";
import type { GetPropertygraphStreamInput } from "../generated/neptunedata.js";
import type { StreamPage } from "../domain/neptune/data-plane/streams.js";
import { RawJson } from "../protocol/rest-json.js";
import type { DataPlaneResponse } from "./face.js";
import { dataPlaneError } from "./errors.js";
import type { DataPlaneContext } from "./operations.js";

/**
 * Neptune Streams' REST endpoint, `GET /propertygraph/stream` (alias `/pg/stream`), and the SDK's
 * GetPropertygraphStream (docs streams-using-api-call.html, streams-using-api-reponse.html). The records come from
 * the cluster's stream (domain/neptune/data-plane/streams.ts); this module shapes the request and the answer.
 */

const STREAM_PATH = /^\/propertygraph\/stream\/*$/i;

/**
 * "Neptune supports gzip compression of the response, provided that the HTTP request includes an Accept-Encoding
 * header that specifies gzip" (docs streams-using-api-call.html). The model binds that header to `encoding`, whose
 * only value is `gzip`; a client's usual list (`gzip, deflate, br`) names gzip too, so it is read as `gzip`, and a
 * header that does not accept gzip (or refuses it with q=0) as none.
 */
export function streamRequestHeaders(path: string, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  if (!STREAM_PATH.test(path) || headers["accept-encoding"] === undefined) return headers;
  const { "accept-encoding": accepted, ...rest } = headers;
  return acceptsGzip(String(accepted)) ? { ...rest, "accept-encoding": "gzip" } : rest;
}

function acceptsGzip(header: string): boolean {
  return header.split(",").some((part) => {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "*") && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** An answer to send gzip-compressed (with `Content-Encoding: gzip`). */
export class GzipJson extends RawJson {}

/** Compresses the response's body when the handler's output asks for it. */
export function encodeResponse(response: DataPlaneResponse, output: unknown): DataPlaneResponse {
  if (!(output instanceof GzipJson)) return response;
  const body = gzipSync(Buffer.from(response.body));
  return {
    ...response,
    headers: { ...response.headers, "content-encoding": "gzip", "content-length": String(body.length) },
    body,
  };
}

/**
 * *Decided* (no source gives Neptune's text): a cluster whose instance does not serve streams answers
 * UnsupportedOperationException (400), the code graph-notebook's stream viewer reads as "streams not enabled"
 * (graph_notebook/neptune/client.py, STREAM_EXCEPTION_NOT_ENABLED), with a message that says how to turn them on.
 */
const streamsDisabled = () =>
  dataPlaneError(
    "UnsupportedOperationException",
    "Neptune Streams are disabled on this DB cluster: set the DB cluster parameter neptune_streams to 1 in its DB " +
      "cluster parameter group and reboot every DB instance of the cluster.",
  );

/** docs streams-using-api-call.html: limit 1–100,000 (the model checks the range), default 10. */
const DEFAULT_LIMIT = 10;

export function getPropertygraphStream(input: GetPropertygraphStreamInput, ctx: DataPlaneContext): RawJson {
  if (!ctx.session.streams.enabled) throw streamsDisabled();
  const page = ctx.session.readStream({
    iteratorType: input.iteratorType ?? "AT_SEQUENCE_NUMBER",
    ...(input.commitNum !== undefined ? { commitNum: input.commitNum } : {}),
    ...(input.opNum !== undefined ? { opNum: input.opNum } : {}),
    limit: input.limit ?? DEFAULT_LIMIT,
  });
  const text = streamBody(page);
  return input.encoding === "gzip" ? new GzipJson(text) : new RawJson(text);
}

/** The response body, with the members in the order of Neptune's examples (docs streams-examples.html). */
function streamBody(page: StreamPage): string {
  return JSON.stringify({
    lastEventId: page.lastEventId,
    lastTrxTimestamp: page.lastTrxTimestamp,
    format: "PG_JSON",
    records: page.records.map((r) => ({
      eventId: r.eventId,
      commitTimestamp: r.commitTimestamp,
      data: r.data,
      op: r.op,
      ...(r.isLastOp ? { isLastOp: true } : {}),
    })),
    totalRecords: page.records.length,
  });
}
