import type { PolicyDocument, PolicyPrincipal, Statement } from "../policy/index.js";

/**
 * A key policy as the console shows it: per statement, who it lets in (or keeps out) and for which actions, each
 * principal with the account it belongs to, so that the page can highlight another account's principals and the
 * relationship picture can draw "B may use A's key". Read from the policy as KMS parsed it when it was set.
 */

export interface PrincipalView {
  /** `AWS`, `Service` or `Federated`; `*` for everyone. */
  type: string;
  value: string;
  /** The account the principal belongs to (an account id, its root or an IAM ARN in it); none for services and `*`. */
  account?: string;
  /** Another account than the key's owner, or everyone. */
  external: boolean;
}

export interface StatementView {
  sid?: string;
  effect: "Allow" | "Deny";
  /** `NotPrincipal` statements list whom they do not apply to. */
  principalsExcepted: boolean;
  principals: PrincipalView[];
  /** `NotAction` statements list what they do not apply to. */
  actionsExcepted: boolean;
  actions: string[];
  /** The statement's conditions, as `operator key: values` lines. */
  conditions: string[];
}

/** The account of a principal value: a bare account id, or an `arn:aws:iam::ACCOUNT:…` / `arn:aws:sts::…` ARN. */
export function accountOfPrincipal(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const parts = value.split(":");
  if (parts.length >= 6 && parts[0] === "arn" && /^\d{12}$/.test(parts[4] ?? "")) return parts[4];
  return undefined;
}

/** Condition keys that name the caller's account: `"*"` under `StringEquals` of the owner alone is the owner only. */
const ACCOUNT_KEYS = ["kms:calleraccount", "aws:principalaccount"];

/**
 * Whether the statement's conditions keep it to the owner's account whatever its principal says: AWS-managed keys'
 * policies (`aws/rds`) allow `"*"` with `"StringEquals": {"kms:CallerAccount": "<owner>"}`.
 */
function ownerOnly(statement: Statement, owner: string): boolean {
  const equals = statement.Condition?.StringEquals ?? {};
  return Object.entries(equals).some(
    ([key, values]) =>
      ACCOUNT_KEYS.includes(key.toLowerCase()) && values.length > 0 && values.every((v) => v === owner),
  );
}

function principalsOf(principal: PolicyPrincipal | undefined, owner: string, onlyOwner: boolean): PrincipalView[] {
  if (principal === undefined) return [];
  if (principal === "*") return [{ type: "*", value: "*", external: !onlyOwner }];
  const out: PrincipalView[] = [];
  for (const [type, values] of Object.entries(principal) as [string, string[] | undefined][])
    for (const value of values ?? []) {
      if (value === "*") {
        out.push({ type, value, external: !onlyOwner });
        continue;
      }
      const account = type === "AWS" ? accountOfPrincipal(value) : undefined;
      const external = account !== undefined && account !== owner && !onlyOwner;
      out.push({ type, value, ...(account ? { account } : {}), external });
    }
  return out;
}

function statementView(statement: Statement, owner: string): StatementView {
  const conditions: string[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {}))
    for (const [key, values] of Object.entries(keys)) conditions.push(`${operator} ${key}: ${values.join(", ")}`);
  return {
    ...(statement.Sid ? { sid: statement.Sid } : {}),
    effect: statement.Effect,
    principalsExcepted: statement.NotPrincipal !== undefined,
    principals: principalsOf(statement.Principal ?? statement.NotPrincipal, owner, ownerOnly(statement, owner)),
    actionsExcepted: statement.NotAction !== undefined,
    actions: [...(statement.Action ?? statement.NotAction ?? [])],
    conditions,
  };
}

export function keyPolicyView(policy: PolicyDocument, owner: string): StatementView[] {
  return policy.Statement.map((statement) => statementView(statement, owner));
}
