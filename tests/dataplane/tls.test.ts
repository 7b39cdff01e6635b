import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { connect } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NeptuneClient } from "@aws-sdk/client-neptune";
import { GetEngineStatusCommand, NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { RENEW_BEFORE_DAYS } from "../../src/dataplane/certificates.js";
import { certificateHosts, dataPlaneTls } from "../../src/dataplane/tls-files.js";
import { StateDirError } from "../../src/state/state-dir-error.js";
import { renewIfDue } from "../../src/dataplane/tls-renewal.js";
import { awsCli } from "../helpers/aws-cli.js";
import { ADMIN, A, REGION, type Credentials } from "../helpers/harness.js";
import { defaultConfig } from "../../src/config/defaults.js";
import { serve } from "../helpers/serve-process.js";
import { clusterWithInstances, dataPlaneWorld, http, portRange } from "./fixture.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const credentials = ADMIN[A]!;

/** A neptunedata client of `https://address:port`, trusting `ca` when given (else only Node's own roots). */
function dataClient(address: string, port: number, ca?: string, as: Credentials = credentials) {
  return new NeptunedataClient({
    region: REGION,
    endpoint: `https://${address}:${port}`,
    credentials: as,
    maxAttempts: 1,
    ...(ca ? { requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca }) }) } : {}),
  });
}

/** The serial number of the certificate a TLS handshake with `endpoint` presents (verified against `ca`). */
function presentedSerial(endpoint: { address: string; port: number }, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: endpoint.address, port: endpoint.port, ca }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.once("error", reject);
  });
}

/** The CA file the banner names in its NODE_EXTRA_CA_CERTS line. */
function caFileOf(output: string): string {
  const match = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(output);
  assert.ok(match, output);
  assert.match(output, new RegExp(`AWS_CA_BUNDLE=${match[1]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `));
  return match[1]!;
}

describe("trident serve --data-plane-tls --data-dir", () => {
  const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
  let args: string[];
  let server: ReturnType<typeof serve>;
  let writer: { address: string; port: number };
  let reader: { address: string; port: number };
  let instances: Record<string, { address: string; port: number }>;
  let caFile: string;
  let ca: string;

  before(async () => {
    const { firstPort, lastPort } = await portRange();
    args = [
      "--data-dir",
      dir,
      "--delays",
      "instant",
      "--data-plane-ports",
      `${firstPort}-${lastPort}`,
      "--data-plane-tls",
    ];
    server = serve(args);
    const neptune = new NeptuneClient({ region: REGION, endpoint: await server.ready, credentials, maxAttempts: 1 });
    ({ writer, reader, instances } = await clusterWithInstances(neptune, "secure", 1));
    await server.printed(/AWS_CA_BUNDLE=/);
    caFile = caFileOf(server.output());
    ca = readFileSync(caFile, "utf8");
  });
  after(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
  });

  it("DescribeDBClusters is unchanged: endpoints are host names, the scheme is the client's", () => {
    assert.equal(writer.address, "127.0.0.1");
    assert.equal(reader.address, "127.0.0.2");
  });

  it("keeps the CA in the data directory, its key readable by the owner only", () => {
    assert.equal(caFile, join(dir, "tls", "ca.pem"));
    assert.equal(statSync(join(dir, "tls", "ca.key")).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "tls", "server.key")).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "tls")).mode & 0o777, 0o700);
    assert.match(server.output(), /a new local CA, kept in the data directory \(certificate issued now\)/);
    assert.equal(new X509Certificate(ca).ca, true);
  });

  it("neptunedata over https, trusting the CA, answers on the writer, the reader, an instance and localhost", async () => {
    const status = await dataClient(writer.address, writer.port, ca).send(new GetEngineStatusCommand({}));
    assert.equal(status.status, "healthy");
    assert.equal(status.role, "writer");
    const fromReader = await dataClient(reader.address, reader.port, ca).send(new GetEngineStatusCommand({}));
    assert.equal(fromReader.role, "reader");
    const byName = await dataClient("localhost", writer.port, ca).send(new GetEngineStatusCommand({}));
    assert.equal(byName.role, "writer");
    const replica = instances["secure-1"]!;
    const fromInstance = await dataClient(replica.address, replica.port, ca).send(new GetEngineStatusCommand({}));
    assert.equal(fromInstance.role, "reader");
  });

  it("without trusting the CA, the TLS handshake fails", async () => {
    await assert.rejects(dataClient(writer.address, writer.port).send(new GetEngineStatusCommand({})), {
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
  });

  it("plain http to a TLS port fails, and the port keeps serving https", async () => {
    // Node's TLS server drops a connection whose first bytes are no TLS handshake.
    await assert.rejects(http(writer, "GET", "/status"), { code: "ECONNRESET" });
    const status = await dataClient(writer.address, writer.port, ca).send(new GetEngineStatusCommand({}));
    assert.equal(status.status, "healthy");
  });

  it("the AWS CLI works with AWS_CA_BUNDLE, and refuses the certificate without it", async () => {
    const endpoint = `https://${writer.address}:${writer.port}`;
    const trusted = await awsCli(endpoint, credentials, ["neptunedata", "get-engine-status"], REGION, {
      AWS_CA_BUNDLE: caFile,
    });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal(trusted.json!.role, "writer");
    const untrusted = await awsCli(endpoint, credentials, ["neptunedata", "get-engine-status"]);
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /SSL validation failed|CERTIFICATE_VERIFY_FAILED/);
  });

  it("after a restart, the same CA and certificate serve from the start", async () => {
    const serverPem = readFileSync(join(dir, "tls", "server.pem"), "utf8");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    server = serve(args);
    await server.ready;
    await server.printed(/AWS_CA_BUNDLE=/);
    assert.match(server.output(), /the local CA kept in the data directory\n/);
    assert.equal(readFileSync(caFileOf(server.output()), "utf8"), ca);
    assert.equal(readFileSync(join(dir, "tls", "server.pem"), "utf8"), serverPem);
    // No request has reached the control plane: the TLS listener is up from the start, with the kept CA.
    const status = await dataClient(writer.address, writer.port, ca).send(new GetEngineStatusCommand({}));
    assert.equal(status.role, "writer");
  });
});

describe("trident serve --data-plane-tls without a data directory", () => {
  it("makes a CA for the run, prints it, and removes it at exit", async () => {
    const { firstPort, lastPort } = await portRange();
    const server = serve(["--data-plane-ports", `${firstPort}-${lastPort}`, "--data-plane-tls"]);
    await server.ready;
    await server.printed(/AWS_CA_BUNDLE=/);
    assert.match(server.output(), /a CA made for this run only \(no --data-dir\)/);
    const caFile = caFileOf(server.output());
    assert.equal(new X509Certificate(readFileSync(caFile)).ca, true);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.equal(existsSync(caFile), false);
  });
});

describe("the data plane's certificates in a directory", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const hosts = ["127.0.0.1", "127.0.0.2", "localhost"];

  it("issues a certificate for the hosts, signed by a CA made once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    const first = await dataPlaneTls(dir, hosts, now);
    assert.equal(first.newAuthority, true);
    assert.equal(first.newCertificate, true);
    const authority = new X509Certificate(readFileSync(first.caFile));
    const leaf = new X509Certificate(first.cert);
    assert.equal(authority.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(authority));
    assert.ok(leaf.verify(authority.publicKey));
    assert.equal(leaf.subjectAltName, "IP Address:127.0.0.1, IP Address:127.0.0.2, DNS:localhost");
    assert.equal(leaf.checkIP("127.0.0.2"), "127.0.0.2");
    assert.equal(leaf.checkHost("localhost"), "localhost");
    assert.equal(new Date(leaf.validFrom).getTime(), now.getTime());

    const again = await dataPlaneTls(dir, hosts, new Date(now.getTime() + 100 * DAY_MS));
    assert.equal(again.newAuthority, false);
    assert.equal(again.newCertificate, false);
    assert.equal(again.cert, first.cert);
    assert.equal(again.key, first.key);
  });

  it("issues the certificate again when the hosts change, keeping the CA", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    const first = await dataPlaneTls(dir, hosts, now);
    const ca = readFileSync(first.caFile, "utf8");
    const moved = await dataPlaneTls(dir, ["10.1.2.3", "db.example.test", "localhost"], now);
    assert.equal(moved.newAuthority, false);
    assert.equal(moved.newCertificate, true);
    assert.equal(readFileSync(moved.caFile, "utf8"), ca);
    const leaf = new X509Certificate(moved.cert);
    assert.equal(leaf.subjectAltName, "IP Address:10.1.2.3, DNS:db.example.test, DNS:localhost");
    assert.ok(leaf.verify(new X509Certificate(ca).publicKey));
    assert.equal(readFileSync(join(dir, "tls", "server.pem"), "utf8"), moved.cert);
  });

  it("issues the certificate again when it is not valid yet (the clock went back)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    await dataPlaneTls(dir, hosts, now);
    const earlier = new Date(now.getTime() - DAY_MS);
    const again = await dataPlaneTls(dir, hosts, earlier);
    assert.equal(again.newCertificate, true);
    assert.equal(new Date(new X509Certificate(again.cert).validFrom).getTime(), earlier.getTime());
  });

  it(`issues the certificate again when ${RENEW_BEFORE_DAYS} days or fewer are left`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    const first = await dataPlaneTls(dir, hosts, now);
    const end = new Date(new X509Certificate(first.cert).validTo).getTime();
    const early = await dataPlaneTls(dir, hosts, new Date(end - (RENEW_BEFORE_DAYS + 1) * DAY_MS));
    assert.equal(early.newCertificate, false);
    const late = await dataPlaneTls(dir, hosts, new Date(end - RENEW_BEFORE_DAYS * DAY_MS));
    assert.equal(late.newCertificate, true);
    assert.equal(late.newAuthority, false);
    assert.ok(new Date(new X509Certificate(late.cert).validTo).getTime() > end);
  });
});

describe("the data plane's TLS files when damaged", () => {
  const now = new Date();
  const hosts = ["127.0.0.1", "localhost"];

  it("a server key that does not parse, or is not the certificate's, gets a new certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    const first = await dataPlaneTls(dir, hosts, now);
    writeFileSync(join(dir, "tls", "server.key"), "not a key");
    const fixed = await dataPlaneTls(dir, hosts, now);
    assert.equal(fixed.newCertificate, true);
    assert.notEqual(fixed.cert, first.cert);
    const other = await dataPlaneTls(mkdtempSync(join(tmpdir(), "trident-tls-")), hosts, now);
    writeFileSync(join(dir, "tls", "server.key"), other.key);
    assert.equal((await dataPlaneTls(dir, hosts, now)).newCertificate, true);
    assert.equal((await dataPlaneTls(dir, hosts, now)).newCertificate, false);
  });

  it("a CA key that does not parse, or is another CA's, stops the start with one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    await dataPlaneTls(dir, hosts, now);
    const moved = ["10.0.0.1"]; // so that a certificate must be issued
    writeFileSync(join(dir, "tls", "ca.key"), "not a key");
    await assert.rejects(dataPlaneTls(dir, moved, now), (error: Error) => {
      assert.ok(error instanceof StateDirError);
      assert.match(error.message, /the CA in .*tls cannot be used \(.*\): restore ca.pem and ca.key, or remove both/);
      return true;
    });
    const other = mkdtempSync(join(tmpdir(), "trident-tls-"));
    await dataPlaneTls(other, hosts, now);
    writeFileSync(join(dir, "tls", "ca.key"), readFileSync(join(other, "tls", "ca.key")));
    await assert.rejects(dataPlaneTls(dir, moved, now), {
      name: "Error",
      message: new RegExp(`the CA in ${join(dir, "tls")} cannot be used \\(ca.key is not the key of ca.pem\\)`),
    });
  });
});

describe("a TLS data plane's log", () => {
  it("says when a plain-HTTP request reached an HTTPS port", async () => {
    const lines: string[] = [];
    const tls = await dataPlaneTls(mkdtempSync(join(tmpdir(), "trident-tls-")), ["127.0.0.1"], new Date());
    const world = await dataPlaneWorld({ dataPlaneTls: tls, log: (line) => lines.push(line) });
    try {
      const { writer } = await clusterWithInstances(world.neptune, "logged");
      await assert.rejects(http(writer, "GET", "/status"), { code: "ECONNRESET" });
      assert.ok(
        lines.includes(`data-plane :${writer.port} TLS handshake failed: a plain-HTTP request to an HTTPS port`),
        lines.join("\n"),
      );
    } finally {
      await world.running.close();
    }
  });
});

describe("a running data plane's certificate", () => {
  it("is issued again once near its end, and the next handshakes present the new one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-tls-"));
    const hosts = certificateHosts("127.0.0.1", "127.0.0.2");
    const now = new Date();
    // Issued 380 days ago: valid for 17 more days, inside the renewal window.
    const old = await dataPlaneTls(dir, hosts, new Date(now.getTime() - 380 * DAY_MS));
    const world = await dataPlaneWorld({ dataPlaneTls: old });
    try {
      const { writer } = await clusterWithInstances(world.neptune, "renewed");
      const ca = readFileSync(old.caFile, "utf8");
      assert.equal(await presentedSerial(writer, ca), new X509Certificate(old.cert).serialNumber);
      assert.equal(await renewIfDue(dir, hosts, world.running.dataPlane, now), true);
      const renewed = new X509Certificate(readFileSync(join(dir, "tls", "server.pem")));
      assert.notEqual(renewed.serialNumber, new X509Certificate(old.cert).serialNumber);
      assert.equal(await presentedSerial(writer, ca), renewed.serialNumber);
      const status = await dataClient(writer.address, writer.port, ca).send(new GetEngineStatusCommand({}));
      assert.equal(status.role, "writer");
      assert.equal(await renewIfDue(dir, hosts, world.running.dataPlane, now), false);
    } finally {
      await world.running.close();
    }
  });
});

describe("IAM database authentication over TLS", () => {
  it("aws:SecureTransport is true on a TLS data plane: a policy denying plain transport lets the request through", async () => {
    const secureOnly = {
      name: "secureonly",
      accessKeyId: "AKIATLSSECUREONLY",
      secretAccessKey: "secret-of-secureonly",
    };
    const config = defaultConfig();
    config.accounts[A]!.users!.push({
      ...secureOnly,
      policy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "neptune-db:*", Resource: "*" },
          { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
      },
    });
    const tls = await dataPlaneTls(mkdtempSync(join(tmpdir(), "trident-tls-")), ["127.0.0.1"], new Date());
    const world = await dataPlaneWorld({ dataPlaneTls: tls, config });
    try {
      const { writer } = await clusterWithInstances(world.neptune, "secure", 0, {
        EnableIAMDatabaseAuthentication: true,
      });
      const ca = readFileSync(tls.caFile, "utf8");
      const status = await dataClient(writer.address, writer.port, ca, secureOnly).send(new GetEngineStatusCommand({}));
      assert.equal(status.features?.["IAMAuthentication"], "enabled");
    } finally {
      await world.running.close();
    }
  });
});
