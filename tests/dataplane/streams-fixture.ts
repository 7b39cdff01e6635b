import assert from "node:assert/strict";
import { CreateDBClusterParameterGroupCommand, ModifyDBClusterParameterGroupCommand } from "@aws-sdk/client-neptune";
import { http, type World } from "./fixture.js";

export type Endpoint = { address: string; port: number };
export const DAY = 24 * 60 * 60 * 1000;

/** A stream record as it is on the wire. */
export interface StreamRecordWire {
  eventId: { commitNum: number; opNum: number };
  commitTimestamp: number;
  data: {
    id: string;
    type: string;
    key: string;
    value: { value: unknown; dataType: string };
    from?: string;
    to?: string;
  };
  op: string;
  isLastOp?: boolean;
}

export interface StreamPageWire {
  lastEventId: { commitNum: number; opNum: number };
  lastTrxTimestamp: number;
  format: string;
  records: StreamRecordWire[];
  totalRecords: number;
}

/** A DB cluster parameter group with neptune_streams on (and other values), applied at the next reboot. */
export async function streamsGroup(world: World, name: string, extra: Record<string, string> = {}) {
  await world.neptune.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: name,
      DBParameterGroupFamily: "neptune1.4",
      Description: "streams on",
    }),
  );
  await world.neptune.send(
    new ModifyDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: name,
      Parameters: Object.entries({ neptune_streams: "1", ...extra }).map(([ParameterName, ParameterValue]) => ({
        ParameterName,
        ParameterValue,
        ApplyMethod: "pending-reboot",
      })),
    }),
  );
}

/** A record in short: `ADD vl p1 label=Person:String`, an edge with ` from->to`. */
export const line = (r: StreamRecordWire) =>
  `${r.op} ${r.data.type} ${r.data.id} ${r.data.key}=${String(r.data.value.value)}:${r.data.value.dataType}` +
  (r.data.from ? ` ${r.data.from}->${r.data.to}` : "");

/** One page of the stream over raw HTTP (`GET /propertygraph/stream?…`), which must succeed. */
export async function streamPage(endpoint: Endpoint, query: Record<string, string | number>): Promise<StreamPageWire> {
  const text = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const response = await http(endpoint, "GET", `/propertygraph/stream?${text}`);
  assert.equal(response.status, 200, response.body);
  return response.json as unknown as StreamPageWire;
}

/** Every record of the stream, from TRIM_HORIZON on. */
export const allRecords = async (endpoint: Endpoint) =>
  (await streamPage(endpoint, { iteratorType: "TRIM_HORIZON", limit: 100000 })).records;

/** The records grouped by transaction: `[commitNum, lines…]`, checking that each transaction ends with isLastOp. */
export function byCommit(records: StreamRecordWire[]): [number, ...string[]][] {
  const commits: [number, ...string[]][] = [];
  for (const r of records) {
    const current = commits.at(-1);
    if (current && current[0] === r.eventId.commitNum) current.push(line(r));
    else commits.push([r.eventId.commitNum, line(r)]);
  }
  records.forEach((r, i) => {
    const last = i === records.length - 1 || records[i + 1]!.eventId.commitNum !== r.eventId.commitNum;
    assert.equal(r.isLastOp, last ? true : undefined, `isLastOp of ${JSON.stringify(r.eventId)}`);
  });
  return commits;
}
