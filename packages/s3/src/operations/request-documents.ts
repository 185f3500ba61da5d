import { readSmallBody } from "../body/request-body.js";
import type { Engine } from "../engine.js";
import type { S3Request } from "../http/s3-request.js";
import { parseXml, type XmlElement } from "../xml/xml-parser.js";

/** Reads a request document (XML configuration, JSON policy) whole: verified, within the document limit. */
export function readDocumentBody(
  engine: Engine,
  request: S3Request,
  maxBytes = engine.limits.maxDocumentBytes,
): Promise<Buffer> {
  return readSmallBody(request.raw, { maxBytes, idleTimeoutMs: engine.limits.bodyIdleTimeoutMs });
}

/** Reads and parses a small XML request document; an empty body gives undefined. */
export async function readXmlDocument(
  engine: Engine,
  request: S3Request,
  root: string,
): Promise<XmlElement | undefined> {
  const body = await readDocumentBody(engine, request);
  return body.length ? parseXml(body, root) : undefined;
}
