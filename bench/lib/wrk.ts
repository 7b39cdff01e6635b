import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PreparedRequest } from "./load.js";

/**
 * wrk (https://github.com/wg/wrk; Debian: `apt-get install -y wrk`) as the load generator: a C client that does
 * not compete with the server for as much CPU as a Node client would. The pre-signed requests are replayed in
 * turn by a generated Lua script. Used when `wrk` is on PATH; otherwise the benches use bench/lib/load.ts.
 */

export function wrkInstalled(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version prints its banner and exits 1: it is there when it could be run at all.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** A Lua string literal: the bodies are ASCII (forms, JSON with base64), but quote everything that could break it. */
const lua = (text: string) =>
  `"${text.replace(/[\\"\n\r\0]/g, (c) => `\\${c.charCodeAt(0).toString().padStart(3, "0")}`)}"`;

/** The Lua script that sends `requests` in turn, each with its own headers and body. */
function script(requests: PreparedRequest[]): string {
  const lines = ["local requests = {}"];
  requests.forEach((request, i) => {
    // wrk adds a Host header of its own unless one named exactly `Host` is given (the signed one must be kept).
    const headers = Object.entries(request.headers)
      .map(([name, value]) => `[${lua(name.toLowerCase() === "host" ? "Host" : name)}] = ${lua(value)}`)
      .join(", ");
    lines.push(
      `requests[${i + 1}] = wrk.format("POST", ${lua(request.path ?? "/")}, { ${headers} }, ${lua(request.body)})`,
    );
  });
  lines.push("local i = 0", "request = function()", "  i = i % #requests + 1", "  return requests[i]", "end");
  return lines.join("\n");
}

export interface WrkResult {
  perSecond: number;
  requests: number;
  /** Non-2xx/3xx answers and socket errors. */
  errors: number;
}

/** Runs wrk against `endpoint` for `seconds` with `connections` connections on `threads` threads. */
export async function runWrk(
  endpoint: string,
  requests: PreparedRequest[],
  options: { connections: number; threads: number; seconds: number },
): Promise<WrkResult> {
  const file = join(mkdtempSync(join(tmpdir(), "trident-wrk-")), "requests.lua");
  writeFileSync(file, script(requests));
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "-s",
    file,
    endpoint.endsWith("/") ? endpoint : `${endpoint}/`,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`))));
  });
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    perSecond: number(/Requests\/sec:\s+([\d.]+)/),
    requests: number(/(\d+) requests in/),
    errors:
      number(/Non-2xx or 3xx responses: (\d+)/) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}
