import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveDataPlaneAddresses } from "../../src/dataplane/addresses.js";

describe("the data plane's addresses", () => {
  it("reader endpoints on the next loopback address, custom endpoints on the five after it", async () => {
    assert.deepEqual(await resolveDataPlaneAddresses("127.0.0.1"), {
      host: "127.0.0.1",
      readerHost: "127.0.0.2",
      customHosts: ["127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"],
    });
    assert.deepEqual((await resolveDataPlaneAddresses("0.0.0.0", "127.0.5.10")).customHosts, [
      "127.0.5.12",
      "127.0.5.13",
      "127.0.5.14",
      "127.0.5.15",
      "127.0.5.16",
    ]);
  });

  it("addresses past the loopback range are the host's, said nowhere, as for a host that is not loopback", async () => {
    const shared = (host: string) => Array<string>(5).fill(host);
    assert.deepEqual(await resolveDataPlaneAddresses("127.0.0.250"), {
      host: "127.0.0.250",
      readerHost: "127.0.0.251",
      customHosts: shared("127.0.0.250"),
    });
    assert.deepEqual(await resolveDataPlaneAddresses("127.0.0.254"), {
      host: "127.0.0.254",
      readerHost: "127.0.0.254",
      customHosts: shared("127.0.0.254"),
    });
  });
});
