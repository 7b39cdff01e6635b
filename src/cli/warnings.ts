/**
 * Process warnings are for whoever runs with `--debug`, never normal output. What reaches them otherwise is noise
 * the user cannot act on: the AWS SDK's notice that SDK versions published after January 2027 will need Node 22
 * (the versions this package locks support Node 20; README "Requirements"), and deprecation warnings raised inside
 * dependencies. Node prints warnings through its own `warning` listener; this replaces it.
 */
export function routeProcessWarnings(debug: boolean, write = (text: string) => process.stderr.write(text)): void {
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    if (debug) write(`debug: ${warning.name}: ${warning.message}\n`);
  });
}
