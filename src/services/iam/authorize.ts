import { AWS_MANAGED_PREFIX } from "../../domain/iam/aws-managed.js";
import { accessDeniedMessage, authorizeByIdentity, baseContext } from "../../policy/index.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { RequestContext } from "../service.js";

/**
 * IAM's own actions are authorized by the caller's identity policies, like every other service's: `iam:CreateUser`
 * on the ARN of the user it would create, `iam:ListUsers` on `*` [Service Authorization Reference: AWS Identity
 * and Access Management, resource types per action]. Root may do everything. The caller's account is the only one
 * an IAM call acts on.
 */
export function authorizeIam(ctx: RequestContext, operation: string, resource: string): void {
  const { principal } = ctx;
  const action = `iam:${operation}`;
  const result = authorizeByIdentity(principal, action, resource, baseContext(principal));
  if (!result.allowed) throw CommonErrors.accessDenied(accessDeniedMessage(principal, action, resource, result));
}

/**
 * AWS managed policies are AWS's: no account may change them. *Decided*: refused as AccessDenied in IAM's usual
 * wording, as an explicit deny would be (AWS answers a write to them with AccessDenied; the exact text varies).
 */
export function refuseAwsManagedWrite(ctx: RequestContext, operation: string, arn: string): void {
  if (!arn.startsWith(AWS_MANAGED_PREFIX)) return;
  throw CommonErrors.accessDenied(
    `User: ${ctx.principal.arn} is not authorized to perform: iam:${operation} on resource: policy ${arn}`,
  );
}
