/**
 * A tiny string XML builder. Responses are small fixed shapes, and listings can hold 1,000 entries,
 * so plain string assembly is both the simplest and the fastest option (no DOM).
 */
export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
// Control characters cannot appear in XML 1.0 even escaped as entities; S3 emits them as numeric references.
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\r]/g;

export function escapeXml(text: string): string {
  return text.replace(NEEDS_ESCAPE, (ch) => ESCAPES[ch] ?? `&#x${ch.charCodeAt(0).toString(16)};`);
}

/** A child value: text, a nested element list, or absent (skipped). */
export type XmlValue = string | number | boolean | bigint | XmlNode[] | undefined | null;
export type XmlNode = [name: string, value: XmlValue] | string;

/** Renders `[name, value]` pairs; a bare string node is pre-rendered XML (used for repeated blocks). */
export function renderNodes(nodes: XmlNode[]): string {
  let out = "";
  for (const node of nodes) {
    if (typeof node === "string") {
      out += node;
      continue;
    }
    const [name, value] = node;
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out += value.length ? `<${name}>${renderNodes(value)}</${name}>` : `<${name}/>`;
    else out += `<${name}>${escapeXml(String(value))}</${name}>`;
  }
  return out;
}

/** A whole response document: declaration, root element with the S3 namespace, children. */
export function renderDocument(root: string, children: XmlNode[], options: { namespace?: boolean } = {}): string {
  const ns = options.namespace === false ? "" : ` xmlns="${S3_NAMESPACE}"`;
  return `${XML_DECLARATION}<${root}${ns}>${renderNodes(children)}</${root}>`;
}
