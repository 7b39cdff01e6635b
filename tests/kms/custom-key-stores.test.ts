import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  GenerateRandomCommand,
  ListKeysCommand,
  UpdateCustomKeyStoreCommand,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";

const STORE_ID = "cks-1234567890abcdef0";
const NOT_FOUND =
  "The request was rejected because KMS cannot find a custom key store with the specified key store name or ID.";

describe("KMS custom key stores: answered as AWS answers when the store, cluster or proxy does not exist", () => {
  test("DescribeCustomKeyStores lists none; naming one is CustomKeyStoreNotFoundException", async () => {
    const { a, raw } = inProcess();
    const listed = await a.kms.send(new DescribeCustomKeyStoresCommand({}));
    assert.deepEqual(listed.CustomKeyStores, []);
    assert.equal(listed.Truncated, false);
    for (const input of [{ CustomKeyStoreId: STORE_ID }, { CustomKeyStoreName: "hsm" }]) {
      const error = await rejection(() => a.kms.send(new DescribeCustomKeyStoresCommand(input)));
      assert.equal(error.name, "CustomKeyStoreNotFoundException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, NOT_FOUND);
    }
    const wire = await raw({ service: "kms", target: "ConnectCustomKeyStore", json: { CustomKeyStoreId: STORE_ID } });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "CustomKeyStoreNotFoundException");
  });

  test("Connect, Disconnect, Delete and Update name an unknown store", async () => {
    const { a } = inProcess();
    for (const command of [
      new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: STORE_ID }),
      new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: STORE_ID }),
      new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: STORE_ID }),
      new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: STORE_ID, NewCustomKeyStoreName: "renamed" }),
    ]) {
      const error = await rejection(() => a.kms.send(command as never));
      assert.equal(error.name, "CustomKeyStoreNotFoundException", command.constructor.name);
      assert.equal(error.message, NOT_FOUND);
    }
  });

  test("CreateCustomKeyStore: the CloudHSM cluster is not found; the external key store proxy is not reached", async () => {
    const { a } = inProcess();
    const hsm = await rejection(() =>
      a.kms.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: "hsm",
          CloudHsmClusterId: "cluster-234abcdefgh",
          TrustAnchorCertificate: "-----BEGIN CERTIFICATE-----\n…",
          KeyStorePassword: "kmsPswd1",
        }),
      ),
    );
    assert.equal(hsm.name, "CloudHsmClusterNotFoundException");
    assert.equal(hsm.$metadata?.httpStatusCode, 400);
    const incomplete = await rejection(() =>
      a.kms.send(
        new CreateCustomKeyStoreCommand({ CustomKeyStoreName: "hsm", CloudHsmClusterId: "cluster-234abcdefgh" }),
      ),
    );
    assert.equal(incomplete.name, "ValidationException");
    assert.equal(incomplete.message, "A CloudHSM key store needs TrustAnchorCertificate, KeyStorePassword.");

    const credential = {
      AccessKeyId: "ABCDEFGHIJ234567KLMN",
      RawSecretAccessKey: "DXjSUawnel2fr6SKC7G25CNxTyWKE5PF9XX6H/u9pSo=",
    };
    const publicProxy = await rejection(() =>
      a.kms.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: "xks",
          CustomKeyStoreType: "EXTERNAL_KEY_STORE",
          XksProxyConnectivity: "PUBLIC_ENDPOINT",
          XksProxyUriEndpoint: "https://myproxy.xks.example.com",
          XksProxyUriPath: "/kms/xks/v1",
          XksProxyAuthenticationCredential: credential,
        }),
      ),
    );
    assert.equal(publicProxy.name, "XksProxyUriUnreachableException");
    const vpcProxy = await rejection(() =>
      a.kms.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: "xks",
          CustomKeyStoreType: "EXTERNAL_KEY_STORE",
          XksProxyConnectivity: "VPC_ENDPOINT_SERVICE",
          XksProxyUriEndpoint: "https://myproxy-private.xks.example.com",
          XksProxyUriPath: "/kms/xks/v1",
          XksProxyVpcEndpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-example",
          XksProxyAuthenticationCredential: credential,
        }),
      ),
    );
    assert.equal(vpcProxy.name, "XksProxyVpcEndpointServiceNotFoundException");
    assert.deepEqual((await a.kms.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores, []);
  });

  test("CreateKey and GenerateRandom in a custom key store: CustomKeyStoreNotFoundException, no key made", async () => {
    const { a } = inProcess();
    for (const input of [
      { CustomKeyStoreId: STORE_ID, Origin: "AWS_CLOUDHSM" as const },
      { CustomKeyStoreId: STORE_ID, Origin: "EXTERNAL_KEY_STORE" as const, XksKeyId: "key-1" },
      { CustomKeyStoreId: STORE_ID },
    ]) {
      const error = await rejection(() => a.kms.send(new CreateKeyCommand(input)));
      assert.equal(error.name, "CustomKeyStoreNotFoundException");
      assert.equal(error.message, NOT_FOUND);
    }
    const noStore = await rejection(() => a.kms.send(new CreateKeyCommand({ Origin: "AWS_CLOUDHSM" })));
    assert.equal(noStore.name, "ValidationException");
    assert.equal(noStore.message, "CustomKeyStoreId is required when Origin is AWS_CLOUDHSM.");
    assert.deepEqual((await a.kms.send(new ListKeysCommand({}))).Keys, []);
    const random = await rejection(() =>
      a.kms.send(new GenerateRandomCommand({ NumberOfBytes: 16, CustomKeyStoreId: STORE_ID })),
    );
    assert.equal(random.name, "CustomKeyStoreNotFoundException");
  });

  test("IAM decides first: a caller without the permission is AccessDeniedException", async () => {
    const { clientsFor } = inProcess({ config: KMS_CONFIG });
    const error = await rejection(() =>
      clientsFor(USERS.aReader).kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: STORE_ID })),
    );
    assert.equal(error.name, "AccessDeniedException");
  });
});
