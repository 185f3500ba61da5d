import { createRequire } from "node:module";
import type { KoaContext } from "./s3rver-types.js";

type S3rverAuthentication = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/**
 * s3rver's own authentication middleware (lib/middleware/authentication.js of the s3rver this package is
 * installed with, a peer dependency). s3rver runs it inside its router, which is one middleware of the
 * application and is shared by every s3rver of the process, so the plugin cannot be mounted after it: it calls
 * the same function instead, so that its routes accept and refuse exactly the requests s3rver does.
 */
const s3rverAuthentication = (
  createRequire(import.meta.url)("s3rver/lib/middleware/authentication.js") as () => S3rverAuthentication
)();

/**
 * Authenticates a request to `bucket` as s3rver would before its bucket routes: unsigned requests pass;
 * an unknown access key is InvalidAccessKeyId; a Signature V2 that does not match (or a malformed
 * Authorization header, a skewed date, an expired presigned URL) is s3rver's error. s3rver does not compute
 * Signature V4, so a V4 request with s3rver's access key passes whatever its signature.
 * The error thrown is s3rver's S3Error: left to s3rver's error handler, it is rendered as s3rver renders it.
 */
export async function authenticateAsS3rver(ctx: KoaContext, bucket: string): Promise<void> {
  // s3rver's router would have set this from `/:bucket`; the middleware signs the resource with it.
  ctx.params = { ...ctx.params, bucket };
  await s3rverAuthentication(ctx, async () => {});
}
