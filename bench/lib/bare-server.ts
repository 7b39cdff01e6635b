import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { sendAnswer } from "../../src/server/turn-end.js";

/**
 * The physical limit: a bare node:http server that reads each request's body and sends recorded response bytes,
 * doing no other work. Given a file (`node bare-server.js RESPONSES.json`, written by bench/lib/recorded.ts), it
 * answers each request with the recorded response of its kind (the X-Amz-Target header, else the body up to the
 * first `&`, i.e. `Action=…`): Trident's own bytes and headers. Without one it sends a fixed GetCallerIdentity.
 * A second argument, N (`node bare-server.js RESPONSES.json 12`), makes it spin for N µs of CPU per request before
 * answering: the calibration of bench/compare.ts, showing what a fixed cost per request does to the throughput.
 * A third, `together` (`… RESPONSES.json 0 together`), makes it send the answers made in one turn together at its
 * end, as Trident does (src/server/turn-end.ts).
 */
interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const FIXED =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/admin</Arn><UserId>AIDA</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

const file = process.argv[2] || undefined;
/** Busy-wait per request, in µs (0: none). */
const busyMicros = Number(process.argv[3] ?? 0);
/** `together`: the answers made in one turn leave together at its end, as Trident's do. */
const together = process.argv[4] === "together";
const recorded = new Map<string, Recorded>();
if (file) {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, Omit<Recorded, "body"> & { body: string }>;
  for (const [kind, r] of Object.entries(raw)) recorded.set(kind, { ...r, body: Buffer.from(r.body, "base64") });
}
const fixed: Recorded = {
  status: 200,
  headers: { "content-type": "text/xml", "content-length": String(Buffer.byteLength(FIXED)) },
  body: Buffer.from(FIXED),
};

/** Spins for `micros` µs: CPU spent as a fixed cost per request would spend it. */
function busyWait(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const target = req.headers["x-amz-target"];
    const kind = typeof target === "string" ? target : Buffer.concat(chunks).toString("latin1").split("&", 1)[0]!;
    const answer = recorded.get(kind) ?? fixed;
    if (busyMicros > 0) busyWait(busyMicros);
    if (together) sendAnswer(res, answer.status, answer.headers, answer.body);
    else res.writeHead(answer.status, answer.headers).end(answer.body);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  console.log(`bare server on http://127.0.0.1:${address.port}`);
});
