import { execFile } from "node:child_process";
import type { Credentials } from "./harness.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is. */
  json?: Record<string, unknown>;
}

/**
 * Runs the real AWS CLI (`aws` on PATH) against the emulator, isolated from any profile on the machine, with
 * retries off so an error shows as it came off the wire. `env` adds to its environment (AWS_CA_BUNDLE, say).
 */
export function awsCli(
  endpoint: string,
  credentials: Credentials,
  args: string[],
  region = "us-east-1",
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const cliEnv: NodeJS.ProcessEnv = {
    ...env,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
    AWS_MAX_ATTEMPTS: "1",
    AWS_RETRY_MODE: "standard",
  };
  if (credentials.sessionToken) cliEnv.AWS_SESSION_TOKEN = credentials.sessionToken;
  return new Promise((resolve) => {
    execFile(
      "aws",
      [...args, "--endpoint-url", endpoint, "--output", "json"],
      { env: cliEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        let json: Record<string, unknown> | undefined;
        try {
          json = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr, json });
      },
    );
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** How the AWS CLI prints a service error, with or without its retry note: for matching stderr. */
export function cliError(code: string, operation: string, message: string): RegExp {
  return new RegExp(
    `An error occurred \\(${escapeRegExp(code)}\\) when calling the ${operation} operation(?: \\(reached max retries: \\d+\\))?: ${escapeRegExp(message)}`,
  );
}
