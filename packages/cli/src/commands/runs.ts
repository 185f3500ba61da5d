import type { Command } from "../command.js";
import { CLIENT_FLAGS, callControl, endpointOf } from "../control-client.js";
import { renderTable } from "../table.js";

const FLAGS = {
  ...CLIENT_FLAGS,
  bucket: { type: "string", short: "b", value: "name", description: "only runs of this source bucket" },
  id: { type: "string", short: "i", value: "id", description: "only runs of this configuration" },
} as const;

export const runsCommand: Command<typeof FLAGS> = {
  name: "runs",
  summary: "List the inventory runs of a running emulator (oldest first), failures with their reasons.",
  flags: FLAGS,
  async run(values, output) {
    const query = new URLSearchParams({
      ...(values.bucket ? { bucket: values.bucket } : {}),
      ...(values.id ? { id: values.id } : {}),
    });
    const { json } = await callControl<{ runs: Record<string, unknown>[] }>(
      endpointOf(values.endpoint),
      "GET",
      `inventory/runs?${query}`,
    );
    if (values.json) output.log(JSON.stringify(json.runs));
    else if (!json.runs.length) output.log("No inventory runs yet.");
    else
      output.log(
        renderTable(json.runs, ["at", "bucket", "id", "status", "fileFormat", "rowCount", "bytes", "reason"], 40),
      );
    return 0;
  },
};

export const statusCommand: Command<typeof CLIENT_FLAGS> = {
  name: "status",
  summary: "Check that an emulator answers, and show its profile and how many inventory runs it has done.",
  flags: CLIENT_FLAGS,
  async run(values, output) {
    const endpoint = endpointOf(values.endpoint);
    const health = (await callControl<{ status: string; profile: string }>(endpoint, "GET", "health")).json;
    const runs = (await callControl<{ runs: { status: string }[] }>(endpoint, "GET", "inventory/runs")).json.runs;
    const failed = runs.filter((run) => run.status !== "succeeded").length;
    if (values.json) output.log(JSON.stringify({ endpoint, ...health, runs: runs.length, failedRuns: failed }));
    else
      output.log(
        `${endpoint}: ${health.status}, profile ${health.profile}, ${runs.length} inventory run(s), ${failed} failed`,
      );
    return 0;
  },
};
