import type { S3Error } from "../errors/s3-error.js";
import { renderNodes, XML_DECLARATION, type XmlNode } from "./xml-builder.js";

/** The <Error> document S3 sends: Code, Message, the error's own fields, RequestId, HostId (no namespace). */
export function renderError(error: S3Error, requestId: string, hostId: string): string {
  const nodes: XmlNode[] = [
    ["Code", error.code],
    ["Message", error.message],
    ...Object.entries(error.fields),
    ["RequestId", requestId],
    ["HostId", hostId],
  ];
  return `${XML_DECLARATION}<Error>${renderNodes(nodes)}</Error>`;
}
