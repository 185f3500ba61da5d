import { S3Error } from "../errors/s3-error.js";

/** Continuation tokens are opaque to clients: the base64 of the last name (key, prefix, bucket) returned. */
export function encodeContinuationToken(name: string): string {
  return Buffer.from(name, "utf8").toString("base64");
}

/** The name a token stands for; a token this engine did not issue is InvalidArgument, as in S3. */
export function decodeContinuationToken(token: string): string {
  const name = Buffer.from(token, "base64").toString("utf8");
  if (!token || encodeContinuationToken(name) !== token) {
    throw new S3Error("InvalidArgument", {
      message: "The continuation token provided is incorrect",
      fields: { ArgumentName: "continuation-token" },
    });
  }
  return name;
}
