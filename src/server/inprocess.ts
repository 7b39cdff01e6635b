import { Readable } from "node:stream";
import type { HttpRequest, HttpResponse } from "@smithy/types";
import type { Emulator } from "../emulator.js";
import { handleRequest } from "./pipeline.js";

/**
 * An SDK v3 `requestHandler` that hands each request straight to the emulator's pipeline, with no socket:
 * `new KMSClient({ endpoint: "http://trident.local", requestHandler: new InProcessHandler(emulator) })`.
 * The request is still signed by the SDK and verified by the emulator.
 */
export class InProcessHandler {
  constructor(private readonly emulator: Emulator) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const query = Object.entries(request.query ?? {})
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((item) => [k, item]) : v === null ? [[k, ""]] : [[k, v]]))
      .map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`)
      .join("&");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    const body = toBuffer(request.body);
    const { response } = await handleRequest(this.emulator, {
      method: request.method,
      url: request.path + (query ? `?${query}` : ""),
      headers,
      body,
    });
    return {
      response: {
        statusCode: response.status,
        headers: response.headers,
        // One chunk of bytes, as a socket's would be (a stream of a string would hand out the string).
        body: Readable.from(typeof response.body === "string" ? Buffer.from(response.body) : response.body),
      } as HttpResponse,
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

function toBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  // A view on the same bytes: Buffer.from(uint8Array) would call valueOf(), which the SDK's JSON body adapter
  // turns into a string (with a deprecation warning).
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error("InProcessHandler: streaming request bodies are not supported");
}
