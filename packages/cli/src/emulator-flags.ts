import { readFileSync } from "node:fs";
import { type EmulatorOptions, isProfileName } from "@inv-emulator/s3";
import { CliError, type Flag, integerFlag } from "./command.js";

/** The documented default port: clashes with none of LocalStack (4566), s3rver (4568) or MinIO (9000). */
export const DEFAULT_PORT = 4599;

/** Flags that configure an emulator (start and demo share them). */
export const EMULATOR_FLAGS = {
  port: {
    type: "string",
    short: "p",
    value: "port",
    description: `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`,
  },
  host: { type: "string", value: "host", description: "address to bind (default 127.0.0.1; 0.0.0.0 in a container)" },
  "data-dir": {
    type: "string",
    short: "d",
    value: "dir",
    description: "keep buckets and objects in this directory (survives restarts)",
  },
  "in-memory": { type: "boolean", description: "keep everything in memory (the default without --data-dir)" },
  profile: { type: "string", value: "aws|coreweave", description: "service to imitate (default aws)" },
  config: {
    type: "string",
    short: "c",
    value: "file",
    description: "JSON file with identities, organizationPolicies, strictAuth",
  },
  schedule: {
    type: "string",
    value: "manual|realtime",
    description: "run inventories only when asked (default) or Daily 01:00 UTC / Weekly on Sunday",
  },
} as const satisfies Record<string, Flag>;

type Values = { [K in keyof typeof EMULATOR_FLAGS]?: string | boolean };

/** Users and policies from a config file: { identities, organizationPolicies, strictAuth }. */
function readConfigFile(path: string): Partial<EmulatorOptions> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(`cannot read --config ${path}: ${(error as Error).message}`, 2);
  }
  const invalid = (what: string) => new CliError(`--config ${path}: ${what}`, 2);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid("must be a JSON object");
  const known = ["identities", "organizationPolicies", "strictAuth"];
  const unknown = Object.keys(json).filter((key) => !known.includes(key));
  if (unknown.length) throw invalid(`unknown field(s) ${unknown.join(", ")} (known: ${known.join(", ")})`);
  const { identities, organizationPolicies, strictAuth } = json;
  const isIdentity = (i: unknown) =>
    typeof i === "object" &&
    i !== null &&
    ["accessKeyId", "secretAccessKey", "arn"].every((k) => typeof (i as Record<string, unknown>)[k] === "string");
  if (identities !== undefined && !(Array.isArray(identities) && identities.every(isIdentity))) {
    throw invalid("identities must be an array of { accessKeyId, secretAccessKey, arn } (strings)");
  }
  const isPolicy = (p: unknown) => typeof p === "string" || (typeof p === "object" && p !== null);
  const policies = organizationPolicies;
  if (policies !== undefined && !(Array.isArray(policies) && policies.every(isPolicy))) {
    throw invalid("organizationPolicies must be an array of policy documents");
  }
  if (strictAuth !== undefined && typeof strictAuth !== "boolean") throw invalid("strictAuth must be true or false");
  return json as Partial<EmulatorOptions>;
}

export function emulatorOptions(values: Values, defaults: { port: number }) {
  const profile = (values.profile as string | undefined) ?? "aws";
  if (!isProfileName(profile)) throw new CliError(`--profile must be aws or coreweave, got "${profile}"`, 2);
  const schedule = (values.schedule as string | undefined) ?? "manual";
  if (schedule !== "manual" && schedule !== "realtime")
    throw new CliError(`--schedule must be manual or realtime, got "${schedule}"`, 2);
  if (values["in-memory"] && values["data-dir"]) throw new CliError("--in-memory and --data-dir exclude each other", 2);
  return {
    port: integerFlag(values.port as string | undefined, "port", defaults.port, [0, 65535]),
    profile,
    schedule: schedule as "manual" | "realtime",
    ...(values.host ? { host: values.host as string } : {}),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] as string } : { inMemory: true }),
    ...(values.config ? readConfigFile(values.config as string) : {}),
  };
}
