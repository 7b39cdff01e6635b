import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  type CreatePolicyVersionCommandOutput,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { A, rejection } from "../helpers/harness.js";
import { ALLOW_ALL, allow, iamWorld } from "./fixture.js";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" }],
});
const IAM = { Version: "2010-05-08" };

test("roles: CreateRole keeps the trust policy (returned URL-encoded), MaxSessionDuration, tags; Update and List", async () => {
  const { admin } = iamWorld();
  const { Role } = await admin.iam.send(
    new CreateRoleCommand({
      RoleName: "app",
      Path: "/svc/",
      AssumeRolePolicyDocument: TRUST,
      MaxSessionDuration: 7200,
    }),
  );
  assert.equal(Role!.Arn, `arn:aws:iam::${A}:role/svc/app`);
  assert.match(Role!.RoleId!, /^AROA[A-Z2-7]{17}$/);
  assert.equal(decodeURIComponent(Role!.AssumeRolePolicyDocument!), TRUST);
  assert.equal(Role!.MaxSessionDuration, 7200);
  await admin.iam.send(new UpdateRoleCommand({ RoleName: "app", Description: "the app", MaxSessionDuration: 3600 }));
  await admin.iam.send(new TagRoleCommand({ RoleName: "app", Tags: [{ Key: "team", Value: "graph" }] }));
  const got = await admin.iam.send(new GetRoleCommand({ RoleName: "app" }));
  assert.equal(got.Role!.Description, "the app");
  assert.equal(got.Role!.MaxSessionDuration, 3600);
  assert.deepEqual((await admin.iam.send(new ListRoleTagsCommand({ RoleName: "app" }))).Tags, [
    { Key: "team", Value: "graph" },
  ]);
  const listed = await admin.iam.send(new ListRolesCommand({ PathPrefix: "/svc/" }));
  assert.deepEqual(
    listed.Roles!.map((r) => r.RoleName),
    ["app"],
  );
});

test("a trust policy naming a principal that does not exist is MalformedPolicyDocument; accepted once it exists", async () => {
  const { admin, raw } = iamWorld();
  const naming = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:user/later` }, Action: "sts:AssumeRole" }],
  });
  const refused = await raw({
    service: "iam",
    params: { Action: "CreateRole", ...IAM, RoleName: "r", AssumeRolePolicyDocument: naming },
  });
  assert.equal(refused.status, 400);
  assert.equal(refused.code, "MalformedPolicyDocument");
  assert.equal(
    (await rejection(() => admin.iam.send(new GetRoleCommand({ RoleName: "r" })))).name,
    "NoSuchEntityException",
  );
  await admin.iam.send(new CreateUserCommand({ UserName: "later" }));
  await admin.iam.send(new CreateRoleCommand({ RoleName: "r", AssumeRolePolicyDocument: naming }));
  await admin.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "r", PolicyDocument: TRUST }));
  const got = await admin.iam.send(new GetRoleCommand({ RoleName: "r" }));
  assert.equal(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!), TRUST);
});

test("inline policies: Put/Get/List/Delete; documents come back URL-encoded; a missing one is NoSuchEntity", async () => {
  const { admin, raw } = iamWorld();
  await admin.iam.send(new CreateRoleCommand({ RoleName: "r", AssumeRolePolicyDocument: TRUST }));
  await admin.iam.send(new PutRolePolicyCommand({ RoleName: "r", PolicyName: "p", PolicyDocument: ALLOW_ALL }));
  const got = await admin.iam.send(new GetRolePolicyCommand({ RoleName: "r", PolicyName: "p" }));
  assert.equal(got.RoleName, "r");
  assert.equal(decodeURIComponent(got.PolicyDocument!), ALLOW_ALL);
  assert.match(got.PolicyDocument!, /^%7B%22Version%22%3A%222012-10-17%22/, "URL-encoded");
  assert.deepEqual((await admin.iam.send(new ListRolePoliciesCommand({ RoleName: "r" }))).PolicyNames, ["p"]);
  const deleteRole = await raw({ service: "iam", params: { Action: "DeleteRole", ...IAM, RoleName: "r" } });
  assert.equal(deleteRole.status, 409);
  assert.equal(deleteRole.message, "Cannot delete entity, must delete policies first.");
  await admin.iam.send(new DeleteRolePolicyCommand({ RoleName: "r", PolicyName: "p" }));
  const missing = await raw({
    service: "iam",
    params: { Action: "GetRolePolicy", ...IAM, RoleName: "r", PolicyName: "p" },
  });
  assert.equal(missing.status, 404);
  assert.equal(missing.message, "The role policy with name p cannot be found.");
  await admin.iam.send(new DeleteRoleCommand({ RoleName: "r" }));
});

test("policy documents: malformed JSON, a Principal in an identity policy, and the size quotas as AWS counts them", async () => {
  const { admin, raw } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "u" }));
  const put = (document: string) =>
    raw({
      service: "iam",
      params: { Action: "PutUserPolicy", ...IAM, UserName: "u", PolicyName: "p", PolicyDocument: document },
    });
  const notJson = await put("{not json");
  assert.equal(notJson.status, 400);
  assert.equal(notJson.code, "MalformedPolicyDocument");
  assert.equal(notJson.message, "Syntax errors in policy.");
  const withPrincipal = await put(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
    }),
  );
  assert.equal(withPrincipal.code, "MalformedPolicyDocument");
  assert.equal(withPrincipal.message, "Policy document should not specify a principal.");

  // 2,048 characters without white space fit a user's inline policies, however much white space surrounds them.
  const actions = (count: number) => Array.from({ length: count }, (_, i) => `kms:A${String(i).padStart(4, "0")}`);
  const sized = (target: number) => {
    let count = 1;
    while (
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: actions(count + 1), Resource: "*" }],
      }).length <= target
    )
      count++;
    return JSON.stringify(
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions(count), Resource: "*" }] },
      null,
      8,
    );
  };
  const fits = sized(2048);
  assert.ok(fits.length > 2048, "the document is longer than the quota with its white space");
  assert.equal((await put(fits)).status, 200);
  const tooBig = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: actions(200), Resource: "*" }],
  });
  const refused = await put(tooBig);
  assert.equal(refused.status, 409);
  assert.equal(refused.code, "LimitExceeded");
  assert.equal(refused.message, "Maximum policy size of 2048 bytes exceeded for user u");
  const kept = await admin.iam.send(new GetUserPolicyCommand({ UserName: "u", PolicyName: "p" }));
  assert.equal(decodeURIComponent(kept.PolicyDocument!), fits, "the refused put changed nothing");

  const managed = await raw({
    service: "iam",
    params: {
      Action: "CreatePolicy",
      ...IAM,
      PolicyName: "big",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: actions(600), Resource: "*" }],
      }),
    },
  });
  assert.equal(managed.status, 409);
  assert.equal(managed.message, "Cannot exceed quota for PolicySize: 6144");
});

test("managed policies: versions (at most 5), default version, DeleteConflict while attached or versioned", async () => {
  const { admin, raw } = iamWorld();
  const { Policy } = await admin.iam.send(
    new CreatePolicyCommand({
      PolicyName: "kms-read",
      Path: "/t/",
      PolicyDocument: allow(["kms:Describe*"]),
      Description: "d",
    }),
  );
  const arn = Policy!.Arn!;
  assert.equal(arn, `arn:aws:iam::${A}:policy/t/kms-read`);
  assert.match(Policy!.PolicyId!, /^ANPA/);
  assert.equal(Policy!.DefaultVersionId, "v1");
  assert.equal(Policy!.AttachmentCount, 0);
  for (let i = 2; i <= 5; i++) {
    const { PolicyVersion: made }: CreatePolicyVersionCommandOutput = await admin.iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow([`kms:V${i}`]), SetAsDefault: i === 3 }),
    );
    assert.equal(made!.VersionId, `v${i}`);
  }
  const sixth = await raw({
    service: "iam",
    params: { Action: "CreatePolicyVersion", ...IAM, PolicyArn: arn, PolicyDocument: ALLOW_ALL },
  });
  assert.equal(sixth.status, 409);
  assert.equal(sixth.code, "LimitExceeded");
  assert.equal((await admin.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, "v3");
  const versions = await admin.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  assert.deepEqual(
    versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]),
    [
      ["v5", false],
      ["v4", false],
      ["v3", true],
      ["v2", false],
      ["v1", false],
    ],
  );
  const v3 = await admin.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" }));
  assert.equal(decodeURIComponent(v3.PolicyVersion!.Document!), allow(["kms:V3"]));
  const deleteDefault = await raw({
    service: "iam",
    params: { Action: "DeletePolicyVersion", ...IAM, PolicyArn: arn, VersionId: "v3" },
  });
  assert.equal(deleteDefault.code, "DeleteConflict");

  await admin.iam.send(new CreateUserCommand({ UserName: "u" }));
  await admin.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: arn }));
  const attached = await raw({ service: "iam", params: { Action: "DeletePolicy", ...IAM, PolicyArn: arn } });
  assert.equal(attached.status, 409);
  assert.equal(attached.message, "Cannot delete a policy attached to entities.");
  const entities = await admin.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
  assert.deepEqual(
    entities.PolicyUsers!.map((u) => u.UserName),
    ["u"],
  );
  assert.equal((await admin.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 1);
  await admin.iam.send(new DetachUserPolicyCommand({ UserName: "u", PolicyArn: arn }));
  const versioned = await raw({ service: "iam", params: { Action: "DeletePolicy", ...IAM, PolicyArn: arn } });
  assert.equal(versioned.code, "DeleteConflict");
  assert.match(versioned.message!, /^This policy has more than one version/);
  for (const v of ["v1", "v2", "v4", "v5"])
    await admin.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
  await admin.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" }));
  await admin.iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  const gone = await raw({ service: "iam", params: { Action: "GetPolicy", ...IAM, PolicyArn: arn } });
  assert.equal(gone.status, 404);
  assert.equal(gone.message, `Policy ${arn} does not exist or is not attachable.`);
});

test("AWS managed policies: attachable with their real documents, listed by Scope, read-only", async () => {
  const { admin, raw } = iamWorld();
  const arn = "arn:aws:iam::aws:policy/NeptuneReadOnlyAccess";
  const policy = await admin.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  assert.equal(policy.Policy!.DefaultVersionId, "v3");
  const version = await admin.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v3" }));
  assert.match(decodeURIComponent(version.PolicyVersion!.Document!), /"rds:DescribeDBClusters"/);
  const aws = await admin.iam.send(new ListPoliciesCommand({ Scope: "AWS" }));
  assert.ok(aws.Policies!.some((p) => p.Arn === "arn:aws:iam::aws:policy/AdministratorAccess"));
  const local = await admin.iam.send(new ListPoliciesCommand({ Scope: "Local" }));
  assert.deepEqual(local.Policies, []);
  await admin.iam.send(new CreateRoleCommand({ RoleName: "r", AssumeRolePolicyDocument: TRUST }));
  await admin.iam.send(new AttachRolePolicyCommand({ RoleName: "r", PolicyArn: arn }));
  const attachedOnly = await admin.iam.send(new ListPoliciesCommand({ OnlyAttached: true, Scope: "AWS" }));
  assert.ok(attachedOnly.Policies!.some((p) => p.Arn === arn && p.AttachmentCount === 1));
  const write = await raw({
    service: "iam",
    params: { Action: "CreatePolicyVersion", ...IAM, PolicyArn: arn, PolicyDocument: ALLOW_ALL },
  });
  assert.equal(write.status, 403);
  assert.equal(write.code, "AccessDenied");
  const unknown = await raw({
    service: "iam",
    params: { Action: "AttachRolePolicy", ...IAM, RoleName: "r", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" },
  });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.message, "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.");
  const roleDelete = await raw({ service: "iam", params: { Action: "DeleteRole", ...IAM, RoleName: "r" } });
  assert.equal(roleDelete.message, "Cannot delete entity, must detach all policies first.");
  await admin.iam.send(new DetachRolePolicyCommand({ RoleName: "r", PolicyArn: arn }));
  await admin.iam.send(new DeleteRoleCommand({ RoleName: "r" }));
});

test("GetAccountAuthorizationDetails lists users, roles and policies with their documents, filtered", async () => {
  const { admin } = iamWorld();
  await admin.iam.send(new CreateUserCommand({ UserName: "u" }));
  await admin.iam.send(new PutUserPolicyCommand({ UserName: "u", PolicyName: "p", PolicyDocument: ALLOW_ALL }));
  await admin.iam.send(
    new AttachUserPolicyCommand({ UserName: "u", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }),
  );
  const all = await admin.iam.send(new GetAccountAuthorizationDetailsCommand({}));
  const u = all.UserDetailList!.find((d) => d.UserName === "u")!;
  assert.deepEqual(
    u.UserPolicyList!.map((p) => [p.PolicyName, decodeURIComponent(p.PolicyDocument!)]),
    [["p", ALLOW_ALL]],
  );
  assert.deepEqual(u.AttachedManagedPolicies, [
    { PolicyName: "IAMReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" },
  ]);
  assert.ok(all.Policies!.some((p) => p.PolicyName === "IAMReadOnlyAccess" && p.PolicyVersionList!.length === 1));
  const usersOnly = await admin.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ["User"] }));
  assert.equal(usersOnly.RoleDetailList!.length, 0);
  assert.equal(usersOnly.Policies!.length, 0);
  const attached = await admin.iam.send(new ListAttachedUserPoliciesCommand({ UserName: "u" }));
  assert.deepEqual(
    attached.AttachedPolicies!.map((p) => p.PolicyName),
    ["IAMReadOnlyAccess"],
  );
});
