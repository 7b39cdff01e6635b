import { leastPrivilegePolicy, type IamPolicyDocument } from "./permissions-policy.js";
import { requiredPermissions, type Need } from "./permissions-table.js";
import type { Discovered, Finding, MigrateInputs, Plan, Side } from "./types.js";

/**
 * The permission preflight's verdict, per side: every action the caller was denied or may not call, each with
 * the resource it is needed on, and the identity policy to attach. Pure: it reads what discovery recorded (the
 * denials it met, and iam:SimulatePrincipalPolicy's answers where the caller could ask) and the plan.
 */

export interface SidePermissions {
  /** The caller, as GetCallerIdentity named it. */
  caller: string;
  /**
   * "simulation": iam:SimulatePrincipalPolicy checked every action, `missing` is complete and `policy` grants
   * exactly it. "denials": only what plan's reads met; apply's writes were not checked, so `policy` grants every
   * action this side needs for this migration (decided: attached as it is, nothing is missing any more).
   */
  checkedBy: "simulation" | "denials";
  missing: Need[];
  policy: IamPolicyDocument;
}

export type PermissionReport = Partial<Record<Side, SidePermissions>>;

const SIDES: Side[] = ["source", "target"];

/** Needs, each (side, action, resource) once, in a stable order. */
export function uniqueNeeds(needs: Need[]): Need[] {
  const byKey = new Map(needs.map((need) => [`${need.side} ${need.action} ${need.resource}`, need]));
  return [...byKey.values()]
    .map(({ side, action, resource }) => ({ side, action, resource }))
    .sort(
      (x, y) =>
        x.side.localeCompare(y.side) || x.action.localeCompare(y.action) || x.resource.localeCompare(y.resource),
    );
}

/** The policy a side's caller needs: `missing`, or (not simulated) every need of the side and `missing`. */
export function sidePermissions(
  side: Side,
  caller: string,
  missing: Need[],
  needs: Need[] | undefined,
): SidePermissions {
  const granted = uniqueNeeds([...missing, ...(needs ?? [])]);
  return {
    caller,
    checkedBy: needs === undefined ? "simulation" : "denials",
    missing: uniqueNeeds(missing),
    policy: leastPrivilegePolicy(granted, `TridentMigrate${side === "source" ? "Source" : "Target"}`),
  };
}

export function permissionReport(inputs: MigrateInputs, found: Discovered, plan: Plan): PermissionReport | undefined {
  const needs = requiredPermissions(inputs, found, plan);
  const report: PermissionReport = {};
  for (const side of SIDES) {
    const simulated = found.simulated?.[side];
    const missing = [...(found.denials ?? []).filter((denial) => denial.side === side), ...(simulated ?? [])];
    if (missing.length === 0) continue;
    const sideNeeds = simulated === undefined ? needs.filter((need) => need.side === side) : undefined;
    report[side] = sidePermissions(side, found[side].Arn, missing, sideNeeds);
  }
  return Object.keys(report).length > 0 ? report : undefined;
}

/** One blocker per side that misses permissions; the report itself is printed under the findings. */
export function permissionFindings(report: PermissionReport | undefined): Finding[] {
  return SIDES.flatMap((side) => {
    const permissions = report?.[side];
    if (!permissions) return [];
    const count = permissions.missing.length;
    return [
      {
        code: `${side}-permissions-missing`,
        severity: "blocker" as const,
        message: `the ${side} caller ${permissions.caller} is not allowed ${count} action${count === 1 ? "" : "s"} this migration needs (listed under "Missing permissions")`,
        fix: `attach the ${side} policy printed there to ${permissions.caller} (docs/migrate-permissions.md)`,
      },
    ];
  });
}

/** The actions a policy document grants, back as needs (one per action and resource). */
function grantedBy(side: Side, policy: IamPolicyDocument): Need[] {
  return policy.Statement.flatMap((statement) =>
    [statement.Resource].flat().flatMap((resource) => statement.Action.map((action) => ({ side, action, resource }))),
  );
}

/**
 * A fleet's permissions: per side, what any of its clusters misses, and one policy covering all of them (checked
 * by simulation only when every cluster's side was).
 */
export function mergePermissions(reports: PermissionReport[]): PermissionReport | undefined {
  const merged: PermissionReport = {};
  for (const side of SIDES) {
    const parts = reports.flatMap((report) => (report[side] ? [report[side]] : []));
    if (parts.length === 0) continue;
    const missing = parts.flatMap((part) => part.missing);
    const granted = parts.flatMap((part) => grantedBy(side, part.policy));
    const simulated = parts.every((part) => part.checkedBy === "simulation");
    merged[side] = {
      ...sidePermissions(side, parts[0]!.caller, missing, granted),
      checkedBy: simulated ? "simulation" : "denials",
    };
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}
