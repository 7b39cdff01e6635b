/** The read API's documents, as the server defines them (src/console): one definition for both sides. */
export type { AccountDoc, ClusterDoc, KeyDoc, SnapshotDoc } from "../../src/console/state-view.js";
export type { GraphEdge, GraphNode, RelationshipGraph } from "../../src/console/relationships.js";
export type { StatementView } from "../../src/console/key-policy-view.js";
export type { MigrationSummary, MigrationView, RunView, StepView } from "../../src/console/migrations.js";

import type { AccountDoc } from "../../src/console/state-view.js";
import type { RelationshipGraph } from "../../src/console/relationships.js";

export interface StateResponse {
  generatedAt: string;
  accounts: AccountDoc[];
  relationships: RelationshipGraph;
}
