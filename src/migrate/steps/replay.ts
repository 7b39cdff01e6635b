import { describeLag, DEFAULT_POLL_MS, openLiveSession } from "../live-session.js";
import { formatEvent } from "../stream-records.js";
import { realSleep } from "../waiters.js";
import type { Step } from "./context.js";

/**
 * `--live`, after the target's instances (R11: a cluster answers once an instance is available): replays the
 * source's stream from the journal's position until caught up, showing the lag; with --follow keeps following
 * until stopped. Each batch's position is journaled, so a re-run resumes where the last stopped.
 */
export const replay: Step = {
  id: "replay",
  async run(ctx) {
    const options = ctx.live ?? {};
    const session = await openLiveSession(
      ctx.clients,
      { ...ctx.inputs, targetCluster: ctx.plan.names.targetCluster },
      { source: ctx.found.source.Account, target: ctx.found.target.Account },
      ctx.journal,
      { ...options, ...(ctx.wait.now ? { now: ctx.wait.now } : {}) },
    );
    try {
      const from = session.replayer.position;
      ctx.reporter.note(`replaying ${ctx.inputs.sourceCluster}'s stream after ${formatEvent(from)}`);
      let lag = await session.replayer.catchUp((behind) => ctx.reporter.note(describeLag(behind)));
      ctx.reporter.note(`caught up: ${describeLag(lag)}`);
      while (options.follow) {
        await (ctx.wait.sleep ?? realSleep)(options.pollMs ?? DEFAULT_POLL_MS);
        const before = session.replayer.recordsApplied;
        lag = await session.replayer.catchUp((behind) => ctx.reporter.note(describeLag(behind)));
        if (session.replayer.recordsApplied > before) ctx.reporter.note(`caught up: ${describeLag(lag)}`);
      }
      const applied = session.replayer.recordsApplied;
      return {
        changed: applied > 0,
        detail: `the target holds the source's changes up to ${formatEvent(session.replayer.position)} (${applied} record${applied === 1 ? "" : "s"} applied in this run); when ready: trident migrate cutover`,
      };
    } finally {
      session.close();
    }
  },
};
