import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { PreparedRequest } from "./load.js";
import { Sha256 } from "../../src/auth/sha256.js";

export interface BenchCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Signs a Query (form) or JSON request once, so the load loop only replays bytes. */
export async function presign(
  endpoint: string,
  credentials: BenchCredentials,
  call: { service: "sts" | "rds" | "kms" | "iam"; params?: Record<string, string>; target?: string; json?: unknown },
  region = "us-east-1",
): Promise<PreparedRequest> {
  const url = new URL(endpoint);
  const isJson = call.service === "kms";
  const body = isJson ? JSON.stringify(call.json ?? {}) : new URLSearchParams(call.params ?? {}).toString();
  const headers: Record<string, string> = {
    host: url.host,
    "content-type": isJson ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded; charset=utf-8",
  };
  if (isJson) headers["x-amz-target"] = `TrentService.${call.target}`;
  const signer = new SignatureV4({ service: call.service, region, credentials, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers,
      body,
    }),
  );
  return { headers: signed.headers as Record<string, string>, body };
}
