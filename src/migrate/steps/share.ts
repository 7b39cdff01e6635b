import { ModifyDBClusterSnapshotAttributeCommand } from "@aws-sdk/client-neptune";
import { restoreAttribute } from "../discover.js";
import type { Step } from "./context.js";

/**
 * Procedure step 2: share privately with the target account (R4: named accounts only, never `all`, for an
 * encrypted snapshot). The journal remembers whether this run added the account, so cleanup removes only that.
 */
export const share: Step = {
  id: "share",
  async run(ctx) {
    const name = ctx.plan.names.shareSnapshot;
    const target = ctx.found.target.Account;
    const neptune = ctx.clients.source.neptune;
    const sharedWith = await restoreAttribute(neptune, name);
    if (sharedWith.includes(target)) {
      ctx.journal.data.share ??= { snapshot: name, account: target, addedByUs: false };
      ctx.journal.save();
      return { changed: false, detail: `${name} is already shared with ${target}` };
    }
    ctx.journal.data.share = { snapshot: name, account: target, addedByUs: true };
    ctx.journal.record("share", "requested", `${name} → ${target}`);
    await neptune.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: name,
        AttributeName: "restore",
        ValuesToAdd: [target],
      }),
    );
    return { changed: true, detail: `shared ${name} with ${target}` };
  },
};
