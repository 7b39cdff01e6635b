import { GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import { MigrateError } from "../errors.js";
import { mergeTargetStatements, policyDiff, targetAccess, validateKeyPolicy } from "../key-policy.js";
import type { Step } from "./context.js";

/**
 * Procedure step 3: let the target account use the source CMK (R10). Read the policy, merge the two documented
 * statements in (never replacing any), show the diff, check K1–K3 locally, then PutKeyPolicy. The first
 * original policy goes to the journal so that cleanup can put it back.
 */
export const keyPolicy: Step = {
  id: "key-policy",
  async run(ctx) {
    const keyArn = ctx.state.shareKeyArn;
    if (!keyArn) throw new MigrateError("the source key is not known", "run plan to see why");
    const { target, source, region, partition } = ctx.found;
    const kms = ctx.clients.source.kms;
    const current = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy!;
    const access = targetAccess(current, keyArn, target, region);
    if (access.denied.length > 0) {
      throw new MigrateError(
        `the key policy of ${keyArn} explicitly denies account ${target.Account} ${access.denied.join(", ")}`,
        "remove that Deny statement; apply never removes statements",
      );
    }
    if (access.missing.length === 0)
      return { changed: false, detail: `the key policy already lets ${target.Account} use the key` };
    const merged = mergeTargetStatements(current, partition, target.Account);
    const problems = validateKeyPolicy(merged, keyArn, source);
    if (problems.length > 0) {
      const [problem] = problems;
      throw new MigrateError(
        `the merged key policy would be refused (${problem!.rule}): ${problem!.message}`,
        "repair the existing key policy first; apply only adds statements",
      );
    }
    ctx.reporter.note(`key policy of ${keyArn}: adding ${target.Account} (missing ${access.missing.join(", ")})`);
    ctx.reporter.diff(policyDiff(current, merged));
    const journal = ctx.journal.data;
    if (!journal.keyPolicy || journal.keyPolicy.keyArn !== keyArn)
      journal.keyPolicy = { keyArn, original: current, applied: merged };
    else journal.keyPolicy.applied = merged;
    ctx.journal.record("key-policy", "requested", keyArn);
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default", Policy: merged }));
    return { changed: true, detail: `added ${target.Account} to the key policy of ${keyArn}` };
  },
};
