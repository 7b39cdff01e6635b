import type { Arg, GValue } from "./values.js";

/** A Gremlin Server RequestMessage (reference §3.2), decoded from either wire format. */
export interface RequestMessage {
  readonly requestId: string;
  readonly op: string;
  readonly processor: string;
  readonly args: ReadonlyMap<string, Arg>;
}

/** A ResponseMessage: a batch of results (bytecode: each wrapped as a traverser of bulk 1), or a status alone. */
export interface ResponseMessage {
  readonly requestId: string | null;
  readonly code: number;
  readonly message: string;
  readonly data: GValue[] | null;
}

/** A wire format: how requests are read and responses written. */
export interface GremlinCodec {
  readonly mimeType: string;
  decodeRequest(payload: Buffer): RequestMessage;
  /** `traversers`: results wrapped as g:Traverser (bytecode requests), else as they are. */
  encodeResponse(response: ResponseMessage, traversers: boolean): Buffer | string;
}

/** A payload the codec could not read (TinkerPop: 497 REQUEST_ERROR_SERIALIZATION). */
export class UnreadableRequest extends Error {}
