/**
 * Requests through node:http, for what the SDK will not send but a real HTTP client would: node frames the body
 * (Content-Length, or chunks when Transfer-Encoding: chunked is given). For byte-exact requests see raw-http.ts.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";

export interface NodeHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
}

export interface NodeHttpRequest {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

/** One request to 127.0.0.1:`port`; Host defaults to 127.0.0.1:`port` unless `headers` names one. */
export function nodeHttpRequest(port: number, request: NodeHttpRequest): Promise<NodeHttpResponse> {
  const { method, path, headers = {}, body } = request;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}
