import { readGraphFacts, type GraphReading } from "../data-plane.js";
import { openClusterGraph } from "../data-endpoints.js";
import { EXIT, MigrateError } from "../errors.js";
import { compareGraphs, describeDifference, describeGraph } from "../graph-summary.js";
import type { Side } from "../types.js";
import type { Step, StepContext } from "./context.js";

/** How many differences are listed under the step (all of them are in the result and the JSON output). */
const DIFFERENCES_SHOWN = 20;

/**
 * `--verify-data`: the graph arrived. Reads GetPropertygraphSummary (detailed) from the source cluster and from
 * the restored one and compares them. It runs after verify, so the target's instances exist and are available
 * (R11: a cluster without an available instance answers no query); it reads only, so a re-run reads again.
 */
export const verifyData: Step = {
  id: "verify-data",
  async run(ctx) {
    const source = await graphOf(ctx, "source", ctx.inputs.sourceCluster);
    const target = await graphOf(ctx, "target", ctx.plan.names.targetCluster);
    const differences = compareGraphs(source.facts, target.facts);
    ctx.state.dataVerification = { source, target, differences };
    ctx.reporter.note(`source ${source.where.cluster} (${source.where.url}): ${describeGraph(source.facts)}`);
    ctx.reporter.note(`target ${target.where.cluster} (${target.where.url}): ${describeGraph(target.facts)}`);
    for (const difference of differences.slice(0, DIFFERENCES_SHOWN))
      ctx.reporter.note(`FAIL ${describeDifference(difference)}`);
    if (differences.length > DIFFERENCES_SHOWN)
      ctx.reporter.note(`… and ${differences.length - DIFFERENCES_SHOWN} more difference(s)`);
    if (differences.length > 0) {
      throw new MigrateError(
        `the target's graph differs from the source's in ${differences.length} way${differences.length === 1 ? "" : "s"}: ${differences
          .slice(0, 3)
          .map(describeDifference)
          .join("; ")}${differences.length > 3 ? "; …" : ""}`,
        "the target holds the graph as of the source's snapshot: writes to the source since then differ (stop them, delete the target cluster and run apply again); on AWS the summary also lags recent writes until Neptune refreshes its statistics",
        EXIT.verifyFailed,
      );
    }
    return { changed: false, detail: `the graphs match: ${describeGraph(target.facts)}` };
  },
};

async function graphOf(ctx: StepContext, side: Side, clusterId: string | undefined): Promise<GraphReading> {
  const account = side === "source" ? ctx.found.source.Account : ctx.found.target.Account;
  const { where, client } = await openClusterGraph(ctx.clients, ctx.inputs, account, side, clusterId, "--verify-data");
  try {
    return { where, facts: await readGraphFacts(client, where) };
  } finally {
    client.destroy();
  }
}
