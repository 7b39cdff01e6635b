import type { NeptuneOperations } from "../../generated/neptune.js";
import {
  clusterParameterGroups,
  clusterParameterGroupShape,
  parameterGroups,
  parameterGroupShape,
  subnetGroups,
  subnetGroupShape,
} from "../../domain/neptune/groups.js";
import { currentScope } from "../../domain/neptune/backups.js";
import type { HandlerMap } from "../service.js";

/** DB cluster parameter groups, DB parameter groups and DB subnet groups. */
export const groupHandlers: HandlerMap<NeptuneOperations> = {
  // ------------------------------------------------------------------ DB cluster parameter groups
  CreateDBClusterParameterGroup: (input, ctx) => ({
    DBClusterParameterGroup: clusterParameterGroupShape(clusterParameterGroups.create(currentScope(ctx), input)),
  }),
  CopyDBClusterParameterGroup: (input, ctx) => ({
    DBClusterParameterGroup: clusterParameterGroupShape(clusterParameterGroups.copy(currentScope(ctx), input)),
  }),
  ModifyDBClusterParameterGroup: (input, ctx) => ({
    DBClusterParameterGroupName: clusterParameterGroups.modify(
      currentScope(ctx),
      input.DBClusterParameterGroupName,
      input.Parameters,
    ),
  }),
  ResetDBClusterParameterGroup: (input, ctx) => ({
    DBClusterParameterGroupName: clusterParameterGroups.reset(
      currentScope(ctx),
      input.DBClusterParameterGroupName,
      input,
    ),
  }),
  DeleteDBClusterParameterGroup: (input, ctx) =>
    clusterParameterGroups.delete(currentScope(ctx), input.DBClusterParameterGroupName),
  DescribeDBClusterParameterGroups: (input, ctx) => clusterParameterGroups.describe(currentScope(ctx), input),
  DescribeDBClusterParameters: (input, ctx) => clusterParameterGroups.parameters(currentScope(ctx), input),
  DescribeEngineDefaultClusterParameters: (input) => ({ EngineDefaults: clusterParameterGroups.engineDefaults(input) }),

  // ------------------------------------------------------------------ DB parameter groups
  CreateDBParameterGroup: (input, ctx) => ({
    DBParameterGroup: parameterGroupShape(parameterGroups.create(currentScope(ctx), input)),
  }),
  CopyDBParameterGroup: (input, ctx) => ({
    DBParameterGroup: parameterGroupShape(parameterGroups.copy(currentScope(ctx), input)),
  }),
  ModifyDBParameterGroup: (input, ctx) => ({
    DBParameterGroupName: parameterGroups.modify(currentScope(ctx), input.DBParameterGroupName, input.Parameters),
  }),
  ResetDBParameterGroup: (input, ctx) => ({
    DBParameterGroupName: parameterGroups.reset(currentScope(ctx), input.DBParameterGroupName, input),
  }),
  DeleteDBParameterGroup: (input, ctx) => parameterGroups.delete(currentScope(ctx), input.DBParameterGroupName),
  DescribeDBParameterGroups: (input, ctx) => parameterGroups.describe(currentScope(ctx), input),
  DescribeDBParameters: (input, ctx) => parameterGroups.parameters(currentScope(ctx), input),
  DescribeEngineDefaultParameters: (input) => ({ EngineDefaults: parameterGroups.engineDefaults(input) }),

  // ------------------------------------------------------------------ DB subnet groups
  CreateDBSubnetGroup: (input, ctx) => ({
    DBSubnetGroup: subnetGroupShape(subnetGroups.create(currentScope(ctx), input)),
  }),
  ModifyDBSubnetGroup: (input, ctx) => ({
    DBSubnetGroup: subnetGroupShape(subnetGroups.modify(currentScope(ctx), input)),
  }),
  DeleteDBSubnetGroup: (input, ctx) => subnetGroups.delete(currentScope(ctx), input.DBSubnetGroupName),
  DescribeDBSubnetGroups: (input, ctx) => subnetGroups.describe(currentScope(ctx), input),
};
