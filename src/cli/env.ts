import { isServedRegion } from "../auth/regions.js";
import { resolveConfig } from "../config/config.js";
import { DEFAULT_REGION } from "../config/defaults.js";
import { DEFAULT_PORT } from "../server/http.js";
import { parseFlags, UsageError, type FlagTable } from "./flags.js";

export const ENV_USAGE = `Usage: trident env [--host 127.0.0.1] [--port ${DEFAULT_PORT}] [--relaxed-auth] [--config FILE] [--region ${DEFAULT_REGION}] [--format shell|dotenv]

Prints the environment that points the AWS CLI and SDKs (JavaScript v3, boto3, Go, Java…) and Terraform's AWS
provider at a local 'trident serve' with the same --host, --port and --relaxed-auth, e.g.
  eval "$(trident env)"                      # then: aws kms list-keys
  trident env --format dotenv > .env.trident
Credentials: the first user of --config (or TRIDENT_CONFIG), else the demo account 111111111111's admin; with
--relaxed-auth the dummy pair test/test (relaxed auth's default account).
There is no AWS_ENDPOINT_URL_NEPTUNEDATA: the data plane is each cluster's own endpoint (Endpoint:Port from
DescribeDBClusters); give it to a neptunedata client as its endpoint.`;

const FLAGS = {
  host: { kind: "text" },
  port: { kind: "port" },
  "relaxed-auth": { kind: "boolean" },
  config: { kind: "text" },
  region: { kind: "text" },
  format: { kind: "choice", choices: ["shell", "dotenv"] },
  help: { kind: "boolean", short: "h" },
} as const satisfies FlagTable;

/**
 * The SDKs' endpoint variables [AWS SDKs and Tools reference, "Service-specific endpoints"]: the global one, and
 * one per service (its serviceId upper-cased), which wins over it. Neptune's control plane is RDS's endpoint and
 * signing name, so both names lead to Trident; the IAM variable is there for Terraform's account lookup.
 */
const SERVICE_ENDPOINT_VARIABLES = ["KMS", "STS", "IAM", "NEPTUNE", "RDS"] as const;

/** The dummy pair of relaxed auth, LocalStack's: any key that is not 12 digits names the default account. */
const RELAXED_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** The address a client on this machine reaches a server listening on `host` at. */
function clientHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** The variables, in order. */
export function environment(values: {
  host?: string;
  port?: number;
  relaxedAuth: boolean;
  config?: string;
  region?: string;
}): [string, string][] {
  const endpoint = `http://${clientHost(values.host ?? "127.0.0.1")}:${values.port ?? DEFAULT_PORT}`;
  const region = values.region ?? DEFAULT_REGION;
  if (!isServedRegion(region)) throw new UsageError(`--region takes a region of partition aws, not '${region}'`);
  const credentials = values.relaxedAuth ? RELAXED_CREDENTIALS : firstUser(values.config);
  return [
    ["AWS_ENDPOINT_URL", endpoint],
    ...SERVICE_ENDPOINT_VARIABLES.map((service): [string, string] => [`AWS_ENDPOINT_URL_${service}`, endpoint]),
    ["AWS_REGION", region],
    ["AWS_DEFAULT_REGION", region],
    ["AWS_ACCESS_KEY_ID", credentials.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey],
  ];
}

function firstUser(configPath: string | undefined): { accessKeyId: string; secretAccessKey: string } {
  for (const account of Object.values(resolveConfig(configPath).accounts)) {
    const user = account.users?.[0];
    if (user) return user;
  }
  throw new UsageError("the config declares no user: give --relaxed-auth, or add a user with an access key");
}

/** A value as POSIX shell and dotenv files both read it: single-quoted, a quote written as '\''. */
function quoted(value: string): string {
  return /^[A-Za-z0-9_./:@[\]-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export async function envCommand(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, FLAGS);
  if (values.help) {
    console.log(ENV_USAGE);
    return;
  }
  const prefix = values.format === "dotenv" ? "" : "export ";
  const variables = environment({
    host: values.host,
    port: values.port,
    relaxedAuth: values["relaxed-auth"],
    config: values.config,
    region: values.region,
  });
  for (const [name, value] of variables) console.log(`${prefix}${name}=${quoted(value)}`);
}
