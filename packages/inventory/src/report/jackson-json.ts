/**
 * JSON in the style of Jackson's default pretty printer, which real manifest.json files show (spec §2.3):
 * two-space indent, ` : ` between name and value, arrays inline as `[ {`…`}, {`…`} ]`.
 */
export function jacksonPretty(value: unknown, level = 0): string {
  const indent = (n: number) => "  ".repeat(n);
  if (Array.isArray(value)) {
    return value.length ? `[ ${value.map((item) => jacksonPretty(item, level)).join(", ")} ]` : "[ ]";
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (!entries.length) return "{ }";
    const body = entries.map(([k, v]) => `${indent(level + 1)}${JSON.stringify(k)} : ${jacksonPretty(v, level + 1)}`);
    return `{\n${body.join(",\n")}\n${indent(level)}}`;
  }
  return JSON.stringify(value);
}
