import { S3Error } from "../errors/s3-error.js";

/**
 * Where a request points: path-style `/bucket/key` or virtual-hosted `bucket.<hostname>/key`.
 * IP literals and unknown hosts are path-style, as with real endpoints.
 */
export interface Address {
  bucket: string | undefined;
  key: string | undefined;
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error("InvalidURI");
  }
}

export function resolveAddress(
  rawPath: string,
  hostHeader: string | undefined,
  virtualHostnames: readonly string[],
): Address {
  const host = (hostHeader ?? "").replace(/:\d+$/, "").toLowerCase();
  const base = virtualHostnames.find((name) => host.endsWith(`.${name}`));
  const path = rawPath.startsWith("/") ? rawPath.slice(1) : rawPath;
  if (base) {
    const bucket = host.slice(0, -(base.length + 1));
    return { bucket, key: path ? decodePath(path) : undefined };
  }
  if (!path) return { bucket: undefined, key: undefined };
  const slash = path.indexOf("/");
  if (slash === -1) return { bucket: decodePath(path), key: undefined };
  const key = path.slice(slash + 1);
  // `/bucket/` (trailing slash, as the JS SDK sends for bucket operations) is the bucket itself.
  return { bucket: decodePath(path.slice(0, slash)), key: key ? decodePath(key) : undefined };
}
