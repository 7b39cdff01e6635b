import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import {
  addRole,
  createCluster,
  deleteCluster,
  describeClusters,
  failoverCluster,
  modifyCluster,
  removeRole,
  startCluster,
  stopCluster,
} from "../../domain/neptune/clusters.js";
import type { HandlerMap } from "../service.js";

/** DB clusters: lifecycle, configuration and IAM roles. The rules are in src/domain/neptune/clusters.ts (and cluster-*.ts). */
export const clusterHandlers: HandlerMap<NeptuneOperations> = {
  CreateDBCluster: (input, ctx) => ({ DBCluster: createCluster(currentScope(ctx), input) }),
  DescribeDBClusters: (input, ctx) => describeClusters(currentScope(ctx), input),
  ModifyDBCluster: (input, ctx) => ({ DBCluster: modifyCluster(currentScope(ctx), input) }),
  DeleteDBCluster: (input, ctx) => ({ DBCluster: deleteCluster(currentScope(ctx), input) }),
  StartDBCluster: (input, ctx) => ({ DBCluster: startCluster(currentScope(ctx), input.DBClusterIdentifier) }),
  StopDBCluster: (input, ctx) => ({ DBCluster: stopCluster(currentScope(ctx), input.DBClusterIdentifier) }),
  FailoverDBCluster: (input, ctx) => ({ DBCluster: failoverCluster(currentScope(ctx), input) }),
  AddRoleToDBCluster: (input, ctx) => addRole(currentScope(ctx), input),
  RemoveRoleFromDBCluster: (input, ctx) => removeRole(currentScope(ctx), input),
};
