import { CliError, type Flag } from "./command.js";
import { DEFAULT_PORT } from "./emulator-flags.js";

/** Flags of commands that talk to a running emulator. */
export const CLIENT_FLAGS = {
  endpoint: {
    type: "string",
    short: "e",
    value: "url",
    description: `emulator endpoint (default $INV_EMULATOR_ENDPOINT or http://127.0.0.1:${DEFAULT_PORT})`,
  },
  json: { type: "boolean", description: "print JSON for scripts instead of text" },
} as const satisfies Record<string, Flag>;

export function endpointOf(value: string | boolean | undefined): string {
  return (typeof value === "string" && value) || process.env.INV_EMULATOR_ENDPOINT || `http://127.0.0.1:${DEFAULT_PORT}`;
}

/** Calls a `/_emulator/...` control route; connection failures and error answers become one-line CliErrors. */
export async function callControl<T>(endpoint: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.replace(/\/+$/, "")}/_emulator/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(`cannot reach the emulator at ${endpoint} (${cause}); start one with "inv-emulator start"`);
  }
  const json = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (response.status >= 400 && response.status !== 409) {
    throw new CliError(`${method} /_emulator/${path}: ${response.status} ${json.error ?? response.statusText}`);
  }
  return { status: response.status, json };
}
