import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../util/project-root.js";
import { dictionary } from "../util/dictionary.js";

/** The subset of the botocore model format that Trident reads (see models/README.md). */
export interface MemberRef {
  shape: string;
  /** rest-json: where the member travels (absent: the JSON body). */
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  locationName?: string;
  flattened?: boolean;
  deprecated?: boolean;
}

export interface Shape {
  type:
    | "structure"
    | "list"
    | "map"
    | "string"
    | "integer"
    | "long"
    | "double"
    | "float"
    | "boolean"
    | "timestamp"
    | "blob";
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  flattened?: boolean;
  locationName?: string;
  sensitive?: boolean;
  exception?: boolean;
  /** A free-form JSON value (rest-json `Document`). */
  document?: boolean;
  /** rest-json: the member that is the whole body (a blob or a structure). */
  payload?: string;
  timestampFormat?: "iso8601" | "unixTimestamp" | "rfc822";
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface Operation {
  name: string;
  /** rest-json: the method and the path template (`/opencypher/status/{queryId}`). */
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
  /** `none`: called without credentials (STS's AssumeRoleWithWebIdentity and AssumeRoleWithSAML). */
  authtype?: string;
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: "query" | "json" | "rest-json";
    signingName?: string;
    targetPrefix?: string;
    xmlNamespace?: string;
    serviceId: string;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
  paginators: Record<string, { input_token?: string; output_token?: string; limit_key?: string; result_key?: string }>;
}

export type ServiceName = "neptune" | "kms" | "sts" | "neptunedata" | "iam";

const cache = new Map<ServiceName, ServiceModel>();

const modelsDir = () => join(projectRoot(), "models");

export function loadModel(service: ServiceName): ServiceModel {
  let model = cache.get(service);
  if (!model) {
    const parsed = JSON.parse(readFileSync(join(modelsDir(), `${service}.json`), "utf8")) as ServiceModel;
    // Operations and shapes are looked up by names from requests (`Action=constructor`): no prototype.
    model = {
      ...parsed,
      operations: dictionary(parsed.operations),
      shapes: dictionary(parsed.shapes),
      paginators: dictionary(parsed.paginators),
    };
    cache.set(service, model);
  }
  return model;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} is not in the ${model.metadata.serviceId} model`);
  return shape;
}

/**
 * Whether `n` is a value of the model's integer type: `integer` is 32-bit and `long` 64-bit (as far as a JavaScript
 * number holds one exactly). A wire value outside it is malformed, not a large number.
 */
export function fitsIntegerType(type: "integer" | "long", n: number): boolean {
  if (!Number.isInteger(n)) return false;
  return type === "integer" ? n >= -(2 ** 31) && n < 2 ** 31 : Number.isSafeInteger(n);
}
