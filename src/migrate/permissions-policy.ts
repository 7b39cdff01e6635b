import type { Need } from "./permissions-table.js";

/**
 * A ready-to-attach identity policy granting exactly some actions on exactly their resources: one statement per
 * set of resources, with the actions needed on all of them. IAM's grammar (policy version 2012-10-17, `Sid`s of
 * letters and digits, `Resource: "*"` only for actions that have no resource-level permissions).
 */

export interface IamPolicyDocument {
  Version: "2012-10-17";
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[] }[];
}

export function leastPrivilegePolicy(needs: Need[], sidPrefix: string): IamPolicyDocument {
  const resourcesByAction = new Map<string, Set<string>>();
  for (const need of needs) {
    const resources = resourcesByAction.get(need.action) ?? new Set<string>();
    resources.add(need.resource);
    resourcesByAction.set(need.action, resources);
  }
  // Actions grouped by the exact set of resources they are needed on: one statement each.
  const actionsByResources = new Map<string, { resources: string[]; actions: string[] }>();
  for (const [action, set] of resourcesByAction) {
    const resources = set.has("*") ? ["*"] : [...set].sort();
    const key = resources.join("\n");
    const group = actionsByResources.get(key) ?? { resources, actions: [] };
    group.actions.push(action);
    actionsByResources.set(key, group);
  }
  const groups = [...actionsByResources.values()].sort((x, y) => (x.resources[0]! < y.resources[0]! ? -1 : 1));
  return {
    Version: "2012-10-17",
    Statement: groups.map((group, index) => ({
      Sid: `${sidPrefix}${index + 1}`,
      Effect: "Allow",
      Action: group.actions.sort(),
      Resource: group.resources.length === 1 ? group.resources[0]! : group.resources,
    })),
  };
}
