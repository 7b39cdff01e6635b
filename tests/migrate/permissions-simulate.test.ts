import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import type { HttpRequest, HttpResponse } from "@smithy/types";
import { createMigrationClients } from "../../src/migrate/clients.js";
import { buildPlan } from "../../src/migrate/plan.js";
import { permissionReport } from "../../src/migrate/permissions.js";
import { simulatePermissions } from "../../src/migrate/permissions-simulate.js";
import { requiredPermissions } from "../../src/migrate/permissions-table.js";
import { B, seedFacts, seedInputs } from "./fixtures.js";

/**
 * AWS IAM's side of iam:SimulatePrincipalPolicy on its wire (awsQuery), for the principal and the actions asked:
 * Trident has no IAM API in this branch, so this stands in for AWS (not for our own server). Every action is
 * allowed but those in `denied`; `refuse` answers AccessDenied as IAM does to a caller without the permission.
 */
class SimulatingIam {
  readonly principals = new Set<string>();
  constructor(private readonly options: { denied?: string[]; refuse?: boolean }) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const form = new URLSearchParams(String(request.body));
    this.principals.add(form.get("PolicySourceArn")!);
    const resource = form.get("ResourceArns.member.1") ?? "*";
    const actions = [...form].filter(([key]) => key.startsWith("ActionNames.member.")).map(([, value]) => value);
    const results = actions
      .map(
        (action) =>
          `<member><EvalActionName>${action}</EvalActionName><EvalResourceName>${resource}</EvalResourceName><EvalDecision>${this.options.denied?.includes(action) ? "implicitDeny" : "allowed"}</EvalDecision></member>`,
      )
      .join("");
    const body = this.options.refuse
      ? `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: ${form.get("PolicySourceArn")} is not authorized to perform: iam:SimulatePrincipalPolicy</Message></Error><RequestId>r</RequestId></ErrorResponse>`
      : `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>${results}</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`;
    return {
      response: {
        statusCode: this.options.refuse ? 403 : 200,
        headers: { "content-type": "text/xml" },
        body: Readable.from(Buffer.from(body)),
      } as HttpResponse,
    };
  }
  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" };

function clientsWith(iam: SimulatingIam) {
  return createMigrationClients(credentials, credentials, {
    region: "us-east-1",
    requestHandler: iam as never,
    maxAttempts: 1,
  });
}

describe("iam:SimulatePrincipalPolicy: every action checked, writes included", () => {
  test("the actions IAM denies become the missing ones, with a policy granting exactly them", async () => {
    const inputs = seedInputs();
    const found = seedFacts();
    const plan = buildPlan(inputs, found);
    const iam = new SimulatingIam({ denied: ["rds:RestoreDBClusterFromSnapshot", "kms:ReEncryptFrom"] });
    found.simulated = await simulatePermissions(clientsWith(iam), found, requiredPermissions(inputs, found, plan));
    assert.deepEqual([...iam.principals].sort(), [found.source.Arn, found.target.Arn].sort());
    assert.deepEqual(found.simulated.source, []);
    const missing = found.simulated.target!.map((need) => `${need.action} on ${need.resource}`).sort();
    assert.deepEqual(missing, [
      `kms:ReEncryptFrom on ${found.sourceKey!.Arn}`,
      `rds:RestoreDBClusterFromSnapshot on arn:aws:rds:us-east-1:${B}:cluster-snapshot:${plan.names.targetCopy}`,
      `rds:RestoreDBClusterFromSnapshot on arn:aws:rds:us-east-1:${B}:cluster:orders-graph`,
    ]);
    const report = permissionReport(inputs, found, buildPlan(inputs, found))!;
    assert.equal(report.source, undefined);
    assert.equal(report.target!.checkedBy, "simulation");
    assert.deepEqual(
      report.target!.policy.Statement.map((statement) => [statement.Action, statement.Resource]),
      [
        [["kms:ReEncryptFrom"], found.sourceKey!.Arn],
        [
          ["rds:RestoreDBClusterFromSnapshot"],
          [
            `arn:aws:rds:us-east-1:${B}:cluster-snapshot:${plan.names.targetCopy}`,
            `arn:aws:rds:us-east-1:${B}:cluster:orders-graph`,
          ],
        ],
      ],
    );
    assert.equal(buildPlan(inputs, found).canProceed, false);
  });

  test("a caller IAM refuses to simulate for: silently left to the denials (no side simulated)", async () => {
    const inputs = seedInputs();
    const found = seedFacts();
    const plan = buildPlan(inputs, found);
    const simulated = await simulatePermissions(
      clientsWith(new SimulatingIam({ refuse: true })),
      found,
      requiredPermissions(inputs, found, plan),
    );
    assert.deepEqual(simulated, {});
    assert.equal(buildPlan(inputs, { ...found, simulated }).permissions, undefined);
  });
});
