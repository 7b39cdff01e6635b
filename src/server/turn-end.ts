import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

/**
 * The end of a turn of the event loop (setImmediate: right after the I/O phase that read the turn's requests). The
 * requests read in the turn are worked on there, one after another, and then the answers made leave together,
 * rather than each request being worked on as it is read and each answer written as it is made.
 *
 * Why the work waits: a request read alone runs the pipeline with its code and data gone from the CPU's caches (the
 * kernel's network stack, node:http and the load generator ran since); the requests of a turn worked one after
 * another find them there, from the second on. Measured with `bench/compare.js` (wrk, 32 connections):
 * GetCallerIdentity from 74.7% of the bare server's throughput to 81.7–93.6% (from 30.2 to 26–27.5 µs of server CPU
 * per request); `bench/describe-cost.js --evict` shows the pipeline costing 1.5–1.7× in process with the caches
 * emptied between requests.
 * Why the answers wait: under load the client's reader threads sleep while the server works, and each write to a
 * socket wakes one of them: a wake-up across CPUs that the writing process pays for in the kernel (on a 2-vCPU VM,
 * about half the CPU of a GetCallerIdentity answer went there). Written together, the answers of a turn wake each
 * reader once. Measured the same way: GetCallerIdentity from 61.6 to 33 µs of server CPU per request,
 * DescribeDBClusters from 117 to 71, KMS Encrypt/Decrypt of 4 KiB from 130 to 79.
 * The cost: a request waits for the others read with it; one that arrives alone waits for nothing, and its answer
 * leaves in the same turn as before. Answers made later (a request that waits for a write to disk) leave at the end
 * of the turn they are made in.
 */
interface Waiting {
  res: ServerResponse;
  body: Buffer | string;
}

interface Work {
  res: ServerResponse;
  run: () => void;
}

let work: Work[] = [];
let waiting: Waiting[] = [];
let scheduled = false;

/**
 * Works on a request at the end of this turn, before the turn's answers leave (the control plane's every request).
 * `run` answers through `sendAnswer`; should it throw, its client's connection is cut and the others go on.
 */
export function workAtTurnEnd(res: ServerResponse, run: () => void): void {
  work.push({ res, run });
  endTurnSoon();
}

/** Sends the answer at the end of this turn, with every other answer made in it (both HTTP faces). */
export function sendAnswer(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Buffer | string,
): void {
  res.writeHead(status, headers);
  waiting.push({ res, body });
  endTurnSoon();
}

function endTurnSoon(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(endTurn);
}

function endTurn(): void {
  // Taken first: a request or an answer that fails must not keep the others (or the next turn's) waiting.
  const requests = work;
  work = [];
  for (const { res, run } of requests) {
    try {
      run();
    } catch (error) {
      res.destroy(error as Error);
    }
  }
  // Answers made from here on (after a write to disk, say) leave at the end of a later turn.
  scheduled = false;
  const ready = waiting;
  waiting = [];
  for (const { res, body } of ready) {
    try {
      res.end(body);
    } catch (error) {
      res.destroy(error as Error);
    }
  }
}
