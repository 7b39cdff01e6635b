import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import {
  createGlobalCluster,
  deleteGlobalCluster,
  describeGlobalClusters,
  failoverGlobalCluster,
  modifyGlobalCluster,
  removeFromGlobalCluster,
  switchoverGlobalCluster,
} from "../../domain/neptune/global-clusters.js";
import { promoteReadReplica } from "../../domain/neptune/global-clusters-replicas.js";
import type { HandlerMap } from "../service.js";

/** Global databases and read replicas. The rules are in src/domain/neptune/global-clusters*.ts. */
export const globalClusterHandlers: HandlerMap<NeptuneOperations> = {
  CreateGlobalCluster: (input, ctx) => ({ GlobalCluster: createGlobalCluster(currentScope(ctx), input) }),
  DescribeGlobalClusters: (input, ctx) => describeGlobalClusters(currentScope(ctx), input),
  ModifyGlobalCluster: (input, ctx) => ({ GlobalCluster: modifyGlobalCluster(currentScope(ctx), input) }),
  DeleteGlobalCluster: (input, ctx) => ({ GlobalCluster: deleteGlobalCluster(currentScope(ctx), input) }),
  RemoveFromGlobalCluster: (input, ctx) => ({ GlobalCluster: removeFromGlobalCluster(currentScope(ctx), input) }),
  FailoverGlobalCluster: (input, ctx) => ({ GlobalCluster: failoverGlobalCluster(currentScope(ctx), input) }),
  SwitchoverGlobalCluster: (input, ctx) => ({ GlobalCluster: switchoverGlobalCluster(currentScope(ctx), input) }),
  PromoteReadReplicaDBCluster: (input, ctx) => ({ DBCluster: promoteReadReplica(currentScope(ctx), input) }),
};
