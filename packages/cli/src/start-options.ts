import { parseArgs } from "node:util";
import { type EmulatorOptions, isProfileName } from "@inv-emulator/s3";

/** The documented default port: clashes with none of LocalStack (4566), s3rver (4568) or MinIO (9000). */
export const DEFAULT_PORT = 4599;

/** `inv-emulator start` flags, as one table: the parser and the help text both come from it. */
export const START_FLAGS = {
  port: { type: "string", short: "p", description: `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)` },
  host: { type: "string", description: "address to bind (default 127.0.0.1; 0.0.0.0 in a container)" },
  "data-dir": { type: "string", short: "d", description: "keep buckets and objects in this directory (survives restarts)" },
  "in-memory": { type: "boolean", description: "keep everything in memory (default when no --data-dir is given)" },
  profile: { type: "string", description: "service to imitate: aws (default) or coreweave" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

export class UsageError extends Error {}

export function parseStartOptions(args: string[]): EmulatorOptions & { help: boolean } {
  const { values } = parseArgs({ args, options: START_FLAGS, strict: true, allowPositionals: false });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  const profile = values.profile ?? "aws";
  if (!isProfileName(profile)) throw new UsageError(`--profile must be aws or coreweave, got ${profile}`);
  if (values["in-memory"] && values["data-dir"]) throw new UsageError("--in-memory and --data-dir exclude each other");
  return {
    port,
    profile,
    ...(values.host ? { host: values.host } : {}),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : { inMemory: true }),
    help: values.help ?? false,
  };
}

export function startHelp(): string {
  const lines = Object.entries(START_FLAGS).map(([name, flag]) => {
    const short = "short" in flag ? `-${flag.short}, ` : "    ";
    const value = flag.type === "string" ? ` <${name === "data-dir" ? "dir" : name}>` : "";
    return `  ${short}--${name}${value}`.padEnd(30) + flag.description;
  });
  return ["Usage: inv-emulator start [options]", "", "Starts the S3 emulator and prints how to point clients at it.", "", ...lines].join("\n");
}
