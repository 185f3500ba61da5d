import { XMLParser, XMLValidator } from "fast-xml-parser";
import { S3Error } from "../errors/s3-error.js";

/**
 * The one XML parse helper: namespace and declaration optional, element order irrelevant.
 * Every element becomes an array of children so repeated elements (Part, Object, Tag) need no special cases;
 * use `child`, `children` and `text` to read the result.
 */
export type XmlElement = { [name: string]: XmlElement[] | string | undefined; "#text"?: string };

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: () => true,
  processEntities: true,
  htmlEntities: false,
});

/** Parses `body` and returns its root element named `rootName`; anything else is MalformedXML. */
export function parseXml(body: Buffer | string, rootName: string): XmlElement {
  const text = typeof body === "string" ? body : body.toString("utf8");
  if (!text.trim() || XMLValidator.validate(text) !== true) throw new S3Error("MalformedXML");
  const doc = parser.parse(text) as Record<string, XmlElement[] | undefined>;
  const root = doc[rootName]?.[0];
  if (root === undefined) throw new S3Error("MalformedXML");
  return typeof root === "string" ? { "#text": root } : root;
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const value = element?.[name];
  if (!Array.isArray(value)) return [];
  return value.map((item) => (typeof item === "string" ? { "#text": item } : item));
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(element, name)[0];
}

/** Text content of the first `name` child, or undefined when the element is absent. */
export function text(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  if (found === undefined) return undefined;
  return typeof found["#text"] === "string" ? found["#text"] : "";
}
