import { createServer } from "node:http";

// The physical limit: a bare node:http server answering a fixed GetCallerIdentity response, to compare with.
const body =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/admin</Arn><UserId>AIDA</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () =>
    res.writeHead(200, { "content-type": "text/xml", "content-length": Buffer.byteLength(body) }).end(body),
  );
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  console.log(`bare server on http://127.0.0.1:${address.port}`);
});
