import type { OrcType } from "../schema.js";
import { formatTimestamp, type OrcTimestamp } from "../timestamp.js";

/**
 * One decoded value as Apache's `orc-contents` prints it (`{"a": 1, "b": "x"}`, timestamps as
 * "YYYY-MM-DD HH:MM:SS.f"), so decoded rows compare line for line with `*.contents.jsonl` golden files.
 */
export function toContentsJson(value: unknown, type: OrcType): string {
  if (value === null || value === undefined) return "null";
  switch (type.kind) {
    case "struct": {
      const row = value as Record<string, unknown>;
      const fields = type.fieldNames.map(
        (name, i) => `${JSON.stringify(name)}: ${toContentsJson(row[name], type.children[i] as OrcType)}`,
      );
      return `{${fields.join(", ")}}`;
    }
    case "array":
      return `[${(value as unknown[]).map((v) => toContentsJson(v, type.children[0] as OrcType)).join(", ")}]`;
    case "map": {
      const [keyType, valueType] = type.children as [OrcType, OrcType];
      const entries = (value as { key: unknown; value: unknown }[]).map(
        (e) => `{"key": ${toContentsJson(e.key, keyType)}, "value": ${toContentsJson(e.value, valueType)}}`,
      );
      return `[${entries.join(", ")}]`;
    }
    case "binary":
      return `[${Array.from(value as Uint8Array).join(", ")}]`;
    case "timestamp":
      return `"${formatTimestamp(value as OrcTimestamp)}"`;
    case "date":
      return `"${new Date((value as number) * 86_400_000).toISOString().slice(0, 10)}"`;
    case "string":
    case "varchar":
    case "char":
      return JSON.stringify(value);
    default:
      return String(value);
  }
}
