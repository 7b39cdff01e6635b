import { openClusterGraph } from "../data-endpoints.js";
import { StreamReader } from "../stream-reader.js";
import { formatEvent } from "../stream-records.js";
import type { Step } from "./context.js";

/**
 * `--live`, before the snapshot: the source stream's newest event (LATEST), recorded in the journal as the
 * snapshot's position. Read BEFORE the snapshot is requested, never after: every change up to it is in the
 * snapshot; a change committed between this read and the snapshot is in the snapshot AND after the position, so
 * it is replayed once more, which changes nothing (the replay is idempotent). Read after, a change committed in
 * between would be in neither, and lost.
 */
export const replayPosition: Step = {
  id: "stream-position",
  async run(ctx) {
    const known = ctx.journal.data.live?.snapshotPosition;
    if (known) return { changed: false, detail: `the snapshot's position is ${formatEvent(known)}` };
    const { where, client } = await openClusterGraph(
      ctx.clients,
      ctx.inputs,
      ctx.found.source.Account,
      "source",
      ctx.inputs.sourceCluster,
      "--live",
    );
    try {
      const { position } = await new StreamReader(client, where).latest();
      const detail = `the snapshot will hold every change up to ${formatEvent(position)}; later ones are replayed`;
      ctx.journal.updateLive({ snapshotPosition: position }, { step: "stream-position", event: "read", detail });
      return { changed: true, detail };
    } finally {
      client.destroy();
    }
  },
};
