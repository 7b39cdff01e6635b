import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stableUniqueId } from "../../auth/ids.js";

/** An AWS managed policy: read-only, the same in every account (aws-managed/README.md). */
export interface AwsManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description: string;
  DefaultVersionId: string;
  CreateDate: number;
  UpdateDate: number;
  /** The default version's document, as text. */
  document: string;
}

export const AWS_MANAGED_PREFIX = "arn:aws:iam::aws:policy/";
const FOLDER = join("src", "domain", "iam", "aws-managed");

/** The data folder: the nearest folder above this module holding it (works from src/ and from dist/src/). */
function folder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, FOLDER))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${FOLDER} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return join(dir, FOLDER);
}

interface PolicyFile {
  PolicyName: string;
  Path: string;
  Description: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  Document: unknown;
}

let byArn: Map<string, AwsManagedPolicy> | undefined;

function load(): Map<string, AwsManagedPolicy> {
  if (byArn) return byArn;
  byArn = new Map();
  const dir = folder();
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()) {
    const data = JSON.parse(readFileSync(join(dir, file), "utf8")) as PolicyFile;
    const arn = `${AWS_MANAGED_PREFIX}${data.PolicyName}`;
    byArn.set(arn, {
      PolicyName: data.PolicyName,
      // Stable per policy, ANPA… like every managed policy id [IAM identifiers].
      PolicyId: stableUniqueId("ANPA", arn),
      Arn: arn,
      Path: data.Path,
      Description: data.Description,
      DefaultVersionId: data.DefaultVersionId,
      CreateDate: Date.parse(data.CreateDate),
      UpdateDate: Date.parse(data.UpdateDate),
      document: JSON.stringify(data.Document, null, 4),
    });
  }
  return byArn;
}

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return load().get(arn);
}

export function awsManagedPolicies(): AwsManagedPolicy[] {
  return [...load().values()];
}
