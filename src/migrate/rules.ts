/**
 * The rules of docs/rules.md that the migration meets, by number, in one line each: the plan and the
 * demo's timeline cite them so a reader can look each one up.
 */
export const RULES: Record<string, string> = {
  R1: "automated snapshots can't be shared: copy to a manual snapshot first",
  R2: "a manual unencrypted snapshot may be shared",
  R3: "a snapshot under the AWS-managed key aws/rds can't be shared: copy it under a CMK first",
  R4: "a manual snapshot under a CMK may be shared with named accounts, never publicly",
  R5: "the target sees the shared snapshot and addresses it only by its ARN",
  R6: "an encrypted shared snapshot can't be restored directly: copy it first",
  R7: "copy the shared snapshot by ARN; the copy is a manual snapshot of the target",
  R8: "CopyTags=true is refused for shared snapshots: apply the tags explicitly",
  R9: "the copy of an encrypted shared snapshot needs a KMS key of the target account",
  R10: "the source key's policy must let the target account use it (kms:CreateGrant and the rest)",
  R11: "a restored cluster has no instances: create them once it is available",
  R12: "an encrypted shared snapshot can't cross Regions: copy it in its Region, then copy the copy across",
  R13: "an encrypted copy into another Region needs a key of that Region and a PreSignedUrl of the source Region",
  K1: "a new key policy must still let its author call kms:PutKeyPolicy (lockout check)",
  K2: "every principal in a key policy must be a valid account or an existing IAM ARN",
  K3: "a key policy is at most 32 KB",
  K4: "AWS-managed keys' policies can't be changed",
};

export function ruleText(id: string): string {
  return RULES[id] ?? "";
}
