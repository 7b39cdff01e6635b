import type { NeptuneOperations } from "../../generated/neptune.js";
import type { HandlerMap } from "../service.js";
import { catalogueHandlers } from "./catalogue.js";
import { clusterEndpointHandlers } from "./cluster-endpoints.js";
import { clusterHandlers } from "./clusters.js";
import { eventSubscriptionHandlers } from "./event-subscriptions.js";
import { eventHandlers } from "./events.js";
import { globalClusterHandlers } from "./global-clusters.js";
import { groupHandlers } from "./groups.js";
import { instanceHandlers } from "./instances.js";
import { outOfScopeHandlers } from "./out-of-scope.js";
import { pendingMaintenanceHandlers } from "./pending-maintenance.js";
import { snapshotHandlers } from "./snapshots.js";
import { tagHandlers } from "./tags.js";

/**
 * Neptune's operations, one map per area; an operation of the model missing here answers NotImplemented.
 * Each area's handlers are thin: the rules live in src/domain/neptune/.
 */
export const neptuneHandlers: HandlerMap<NeptuneOperations> = {
  ...catalogueHandlers,
  ...clusterEndpointHandlers,
  ...clusterHandlers,
  ...eventHandlers,
  ...eventSubscriptionHandlers,
  ...globalClusterHandlers,
  ...groupHandlers,
  ...instanceHandlers,
  ...pendingMaintenanceHandlers,
  ...snapshotHandlers,
  ...tagHandlers,
  ...outOfScopeHandlers,
};
