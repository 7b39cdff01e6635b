import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import { applyPendingMaintenance, describePendingMaintenance } from "../../domain/neptune/pending-maintenance.js";
import type { HandlerMap } from "../service.js";

/** Pending maintenance; the rules are in src/domain/neptune/pending-maintenance.ts. */
export const pendingMaintenanceHandlers: HandlerMap<NeptuneOperations> = {
  DescribePendingMaintenanceActions: (input, ctx) => describePendingMaintenance(currentScope(ctx), input),
  ApplyPendingMaintenanceAction: (input, ctx) => applyPendingMaintenance(currentScope(ctx), input),
};
