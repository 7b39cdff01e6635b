import { randomId } from "../../auth/ids.js";
import { checkIdentityPolicy, policySize } from "./documents.js";
import { IamErrors } from "./errors.js";
import type { ManagedPolicyRecord, PolicyVersionRecord, TagRecord } from "./records.js";
import { checkTags } from "./entities.js";
import { iamArn, nameKey, parseIamArn, type IamState } from "./state.js";

/** Customer managed policies and their versions [IAM: versioning IAM policies]. */

/** "Managed policy length: 6,144 characters" [IAM and STS quotas], counted without white space. */
export const MAX_MANAGED_POLICY = 6144;
/** "You can have up to five versions of a customer managed policy" [IAM: versioning IAM policies]. */
export const MAX_POLICY_VERSIONS = 5;

function checkManagedDocument(document: string): void {
  checkIdentityPolicy(document);
  if (policySize(document) > MAX_MANAGED_POLICY)
    throw IamErrors.limitExceeded(`Cannot exceed quota for PolicySize: ${MAX_MANAGED_POLICY}`);
}

export function createPolicy(
  iam: IamState,
  accountId: string,
  input: { PolicyName: string; Path?: string; PolicyDocument: string; Description?: string; Tags?: TagRecord[] },
): ManagedPolicyRecord {
  const table = iam.policies(accountId);
  if (table.has(nameKey(input.PolicyName)))
    throw IamErrors.alreadyExists(
      `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`,
    );
  checkManagedDocument(input.PolicyDocument);
  checkTags(input.Tags);
  const now = iam.now();
  const path = input.Path ?? "/";
  const record: ManagedPolicyRecord = {
    PolicyName: input.PolicyName,
    PolicyId: randomId("ANPA", 17),
    Path: path,
    Arn: iamArn(accountId, "policy", path, input.PolicyName),
    Description: input.Description,
    CreateDate: now,
    UpdateDate: now,
    DefaultVersionId: "v1",
    versions: [{ VersionId: "v1", Document: input.PolicyDocument, CreateDate: now }],
    nextVersion: 2,
    tags: [...(input.Tags ?? [])],
  };
  table.put(nameKey(record.PolicyName), record);
  return record;
}

/**
 * A customer managed policy of the caller's account, for reading or writing. (Writes to AWS managed policies are
 * refused before this, as AccessDenied: services/iam/authorize.ts.)
 */
export function customerPolicy(iam: IamState, accountId: string, arn: string): ManagedPolicyRecord {
  const parsed = parseIamArn(arn);
  const record =
    parsed && parsed.accountId === accountId ? iam.policies(accountId).get(nameKey(parsed.name)) : undefined;
  if (!record || record.Arn !== arn) throw IamErrors.noSuchEntity(`Policy ${arn} was not found.`);
  return record;
}

/** Refused while attached to anything or used as a boundary, or while it has versions besides the default. */
export function deletePolicy(iam: IamState, accountId: string, arn: string): void {
  const record = customerPolicy(iam, accountId, arn);
  if (iam.attachments(accountId).has(arn))
    throw IamErrors.deleteConflict("Cannot delete a policy attached to entities.");
  if (record.versions.length > 1)
    throw IamErrors.deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  iam.policies(accountId).delete(nameKey(record.PolicyName));
}

export function createPolicyVersion(
  iam: IamState,
  accountId: string,
  arn: string,
  document: string,
  setAsDefault: boolean,
): PolicyVersionRecord {
  const record = customerPolicy(iam, accountId, arn);
  checkManagedDocument(document);
  if (record.versions.length >= MAX_POLICY_VERSIONS)
    throw IamErrors.limitExceeded(
      `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
    );
  const version: PolicyVersionRecord = {
    VersionId: `v${record.nextVersion}`,
    Document: document,
    CreateDate: iam.now(),
  };
  record.nextVersion++;
  record.versions.push(version);
  record.UpdateDate = version.CreateDate;
  if (setAsDefault) record.DefaultVersionId = version.VersionId;
  return version;
}

export function policyVersion(record: ManagedPolicyRecord, versionId: string): PolicyVersionRecord {
  const version = record.versions.find((candidate) => candidate.VersionId === versionId);
  if (!version)
    throw IamErrors.noSuchEntity(`Policy ${record.Arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

export function setDefaultPolicyVersion(iam: IamState, accountId: string, arn: string, versionId: string): void {
  const record = customerPolicy(iam, accountId, arn);
  policyVersion(record, versionId);
  record.DefaultVersionId = versionId;
  record.UpdateDate = iam.now();
}

export function deletePolicyVersion(iam: IamState, accountId: string, arn: string, versionId: string): void {
  const record = customerPolicy(iam, accountId, arn);
  const version = policyVersion(record, versionId);
  if (version.VersionId === record.DefaultVersionId)
    throw IamErrors.deleteConflict("Cannot delete the default version of a policy.");
  record.versions = record.versions.filter((candidate) => candidate !== version);
}
