/**
 * Who makes a request. Until users and signatures are configured (bucket policies, later), any access key
 * is the default owner, so tests with dummy credentials just work.
 */
export interface Principal {
  accessKeyId: string | undefined;
  /** Canonical user id (64 hex characters, as S3 shows in Owner/ID). */
  canonicalId: string;
  displayName: string;
}

export const DEFAULT_OWNER: Principal = {
  accessKeyId: undefined,
  canonicalId: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
  displayName: "inv-emulator",
};

/** The access key id of a SigV4 request, from the Authorization header or a presigned URL. */
export function accessKeyOf(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const credential = authorization?.match(/Credential=([^/,\s]+)/)?.[1] ?? query.get("X-Amz-Credential")?.split("/")[0];
  return credential || undefined;
}
