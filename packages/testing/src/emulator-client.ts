import { S3Client } from "@aws-sdk/client-s3";
import { emulatorEndpoint } from "./endpoint.js";

/** A client for the emulator: path-style, dummy credentials. */
export function emulatorClient(endpoint = emulatorEndpoint()): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}
