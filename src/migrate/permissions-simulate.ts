import { SimulatePrincipalPolicyCommand, type IAMClient } from "@aws-sdk/client-iam";
import type { MigrationClients } from "./clients.js";
import { awsErrorCode } from "./errors.js";
import type { Need } from "./permissions-table.js";
import type { Discovered, Side } from "./types.js";

/**
 * iam:SimulatePrincipalPolicy for each side's own caller: every action the migration needs, on its resource,
 * judged by the caller's identity policies (and permissions boundary) without calling anything. That covers the
 * writes apply will make, which plan's reads never exercise. A caller that may not simulate (AccessDenied), an
 * endpoint without IAM's API, or a principal IAM can't simulate (root, a federated user) leaves that side to the
 * denials discovery met: silently, as the brief of the preflight wants.
 */

/**
 * The principal to simulate for a caller's ARN: a user as it is; an assumed role's session as its role
 * (`arn:aws:sts::A:assumed-role/R/S` → `arn:aws:iam::A:role/R`; a role with a path is named without it there,
 * so IAM won't find it and the side falls back). Root and federated users: none.
 */
export function simulationPrincipal(callerArn: string): string | undefined {
  const arn = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(callerArn);
  if (!arn) return undefined;
  const [, partition, service, account, resource] = arn;
  if (service === "iam" && resource!.startsWith("user/")) return callerArn;
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource!);
  if (service === "sts" && session) return `arn:${partition}:iam::${account}:role/${session[1]}`;
  return undefined;
}

/** The needs the caller is not allowed, by IAM's simulation; undefined when it can't be asked. */
async function simulateSide(iam: IAMClient, principal: string, side: Side, needs: Need[]): Promise<Need[] | undefined> {
  const byResource = new Map<string, string[]>();
  for (const need of needs) byResource.set(need.resource, [...(byResource.get(need.resource) ?? []), need.action]);
  const denied: Need[] = [];
  try {
    for (const [resource, actions] of byResource) {
      let marker: string | undefined;
      do {
        const out = await iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: principal,
            ActionNames: actions,
            ...(resource === "*" ? {} : { ResourceArns: [resource] }),
            ...(marker ? { Marker: marker } : {}),
          }),
        );
        for (const result of out.EvaluationResults ?? [])
          if (result.EvalDecision !== "allowed" && result.EvalActionName)
            denied.push({ side, action: result.EvalActionName, resource });
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
    }
  } catch (error) {
    if (awsErrorCode(error)) return undefined; // refused or unknown here: the denial-driven path decides
    throw error;
  }
  return denied;
}

/** Each side's simulated refusals, for the sides that could be simulated. */
export async function simulatePermissions(
  clients: MigrationClients,
  found: Discovered,
  needs: Need[],
): Promise<Partial<Record<Side, Need[]>>> {
  const simulated: Partial<Record<Side, Need[]>> = {};
  await Promise.all(
    (["source", "target"] as const).map(async (side) => {
      const principal = simulationPrincipal(found[side].Arn);
      const sideNeeds = needs.filter((need) => need.side === side);
      if (!principal || sideNeeds.length === 0) return;
      const denied = await simulateSide(clients[side].iam, principal, side, sideNeeds);
      if (denied) simulated[side] = denied;
    }),
  );
  return simulated;
}
