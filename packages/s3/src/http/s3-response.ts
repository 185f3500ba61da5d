import type { Readable } from "node:stream";
import { renderDocument, type XmlNode } from "../xml/xml-builder.js";

export type HeaderValues = Record<string, string | number | undefined>;

/** What a handler returns; the server writes it (and drops the body for HEAD). */
export interface S3Response {
  status: number;
  headers?: HeaderValues;
  body?: string | Buffer | Readable;
}

export function xmlResponse(root: string, children: XmlNode[], headers: HeaderValues = {}, status = 200): S3Response {
  return { status, headers: { "content-type": "application/xml", ...headers }, body: renderDocument(root, children) };
}

export function emptyResponse(status = 200, headers: HeaderValues = {}): S3Response {
  return { status, headers };
}
