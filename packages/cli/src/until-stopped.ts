/** How often a process started by npm checks that its parent is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Resolves, with the reason, when the emulator should stop: SIGINT (Ctrl-C), SIGTERM, or, when npm started it
 * (`npx inv-emulator`, an npm script), its parent exiting. npm runs bins through `sh -c`, which does not pass SIGTERM
 * on: `kill <pid of npx>` ends npm and the shell, and would leave the emulator running, holding its port.
 */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const startedByNpm = process.env.npm_command !== undefined || process.env.npm_lifecycle_event !== undefined;
    const stop = (reason: string) => {
      clearInterval(watch);
      process.off("SIGINT", onInt).off("SIGTERM", onTerm);
      resolve(reason);
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.once("SIGINT", onInt).once("SIGTERM", onTerm);
    const watch = setInterval(() => {
      if (startedByNpm && process.ppid !== parent) stop("parent process exited");
    }, PARENT_CHECK_MS);
    watch.unref();
  });
}
