import { groupPolicies, rolePolicies, userPolicies, type EffectivePolicies } from "../../domain/iam/effective.js";
import { parsedPolicy } from "../../domain/iam/documents.js";
import { IamErrors } from "../../domain/iam/errors.js";
import { HOLDERS } from "../../domain/iam/holders.js";
import type { GroupRecord, RoleRecord, UserRecord } from "../../domain/iam/records.js";
import { nameKey, parseIamArn } from "../../domain/iam/state.js";
import type { ContextEntry, EvaluationResult, IamOperations } from "../../generated/iam.js";
import type { Principal } from "../../auth/principal.js";
import { authorizeByIdentity, baseContext, PolicyGrammarError, type ConditionContext } from "../../policy/index.js";
import type { HandlerMap } from "../service.js";
import { authorizeFor } from "./context.js";

/**
 * SimulatePrincipalPolicy [IAM API]: how the policies of a user (with its groups'), a group or a role of the
 * caller's account, and its permissions boundary, decide each action on each resource (`*` when none is named),
 * decided by the same engine that decides real requests. `PolicyInputList` adds identity policies and
 * `PermissionsBoundaryPolicyInputList` replaces the boundary, as AWS documents; `ContextEntries` give condition
 * keys. Needs `iam:SimulatePrincipalPolicy` on the simulated entity. *Decided*: resource policies
 * (`ResourcePolicy`, `CallerArn`) are not simulated, and the answer is one page (it is as long as the question).
 */
export const simulateHandlers: HandlerMap<IamOperations> = {
  SimulatePrincipalPolicy: (input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "SimulatePrincipalPolicy", input.PolicySourceArn);
    const source = parseIamArn(input.PolicySourceArn);
    if (!source || !(source.kind === "user" || source.kind === "group" || source.kind === "role"))
      throw IamErrors.invalidInput(`Invalid ARN: ${input.PolicySourceArn} is not a user, group or role.`);
    const record = HOLDERS[source.kind].table(iam, accountId).peek(nameKey(source.name));
    if (source.accountId !== accountId || !record || record.Arn !== input.PolicySourceArn)
      throw IamErrors.noSuch(source.kind, source.name);
    const own =
      source.kind === "user"
        ? userPolicies(iam, accountId, record as UserRecord)
        : source.kind === "role"
          ? rolePolicies(iam, accountId, record as RoleRecord)
          : groupPolicies(iam, accountId, record as GroupRecord);
    const simulated = withInputs(own, input.PolicyInputList, input.PermissionsBoundaryPolicyInputList);
    const principal: Principal = { accountId, arn: record.Arn, userId: record.Arn, kind: "user", ...simulated };
    const context = { ...baseContext(principal), ...contextOf(input.ContextEntries ?? []) };
    const results: EvaluationResult[] = [];
    for (const action of input.ActionNames)
      for (const resource of input.ResourceArns?.length ? input.ResourceArns : ["*"]) {
        const decision = authorizeByIdentity(principal, action, resource, context);
        results.push({
          EvalActionName: action,
          EvalResourceName: resource,
          EvalDecision: decision.allowed
            ? "allowed"
            : decision.reason === "explicit-deny"
              ? "explicitDeny"
              : "implicitDeny",
          MatchedStatements: [],
          MissingContextValues: [],
        });
      }
    return { EvaluationResults: results, IsTruncated: false };
  },
};

/** The entity's policies with the simulation's own: extra identity policies, a boundary in place of its own. */
function withInputs(own: EffectivePolicies, extra: string[] = [], boundaries: string[] = []): EffectivePolicies {
  const parse = (text: string) => {
    try {
      return parsedPolicy(text);
    } catch (error) {
      if (error instanceof PolicyGrammarError) throw IamErrors.invalidInput(`Invalid policy: ${error.message}`);
      throw error;
    }
  };
  const boundary = boundaries.length === 0 ? own.permissionsBoundary : parse(boundaries[0]!);
  return {
    identityPolicies: [...own.identityPolicies, ...extra.map(parse)],
    ...(boundary ? { permissionsBoundary: boundary } : {}),
  };
}

/** Condition keys as the simulation gives them: lists for the list types, else the first value. */
function contextOf(entries: ContextEntry[]): ConditionContext {
  const context: ConditionContext = {};
  for (const { ContextKeyName: key, ContextKeyValues: values = [], ContextKeyType: type } of entries) {
    if (!key) continue;
    if (type?.endsWith("List")) context[key] = values;
    else if (type === "boolean") context[key] = values[0] === "true";
    else context[key] = values[0];
  }
  return context;
}
