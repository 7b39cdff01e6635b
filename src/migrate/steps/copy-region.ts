import type { Step } from "./context.js";
import { copyOnce } from "./copy.js";

/**
 * Across Regions (--target-region), in the target account and its Region: copy its own copy of the shared snapshot
 * (made in the source's Region by `copy`) across, under --target-kms-key, a key of the target Region (R13). The
 * SDK signs the PreSignedUrl for the source Region itself (@aws-sdk/middleware-sdk-rds: the source ARN names another
 * Region than the client's). The copy keeps the name it had in the source Region; `restore` restores from it.
 */
export const copyRegion: Step = {
  id: "copy-region",
  run(ctx) {
    return copyOnce(ctx, {
      neptune: ctx.clients.target.neptune,
      claim: "regionCopy",
      source: ctx.plan.names.transitCopyArn!,
      kmsKeyId: ctx.inputs.targetKmsKey,
      final: true,
    });
  },
};
