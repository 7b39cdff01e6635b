import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../util/project-root.js";
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
/** The data folder, in the source tree (the build does not copy it). */
const folder = () => join(projectRoot(), "src", "domain", "iam", "aws-managed");

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
