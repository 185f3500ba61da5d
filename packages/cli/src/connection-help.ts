/** What a user pastes to point the AWS CLI, boto3 and the JS SDK at a running emulator. */
export function connectionHelp(endpoint: string, profile: string): string {
  return [
    `inv-emulator is listening on ${endpoint} (profile: ${profile})`,
    "",
    "Point your tools at it:",
    `  export AWS_ENDPOINT_URL=${endpoint}`,
    "  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1",
    "",
    "Then, for example (AWS CLI before 2.13 ignores AWS_ENDPOINT_URL: add --endpoint-url there):",
    `  aws --endpoint-url ${endpoint} s3 mb s3://my-bucket`,
    `  aws --endpoint-url ${endpoint} s3 cp ./README.md s3://my-bucket/README.md`,
    `  aws --endpoint-url ${endpoint} s3 ls s3://my-bucket`,
    "",
    "Run an inventory configuration now:",
    `  curl -X POST ${endpoint}/_emulator/inventory/run -d '{"bucket":"my-bucket","id":"my-config"}'`,
    "",
    "AWS SDK for JavaScript v3 (use path-style addressing; `bucket.localhost` does not resolve everywhere):",
    `  new S3Client({ endpoint: "${endpoint}", forcePathStyle: true, region: "us-east-1",`,
    '    credentials: { accessKeyId: "test", secretAccessKey: "test" } })',
    "",
    "boto3:",
    `  boto3.client("s3", endpoint_url="${endpoint}", aws_access_key_id="test", aws_secret_access_key="test")`,
    "",
    "Press Ctrl-C to stop.",
  ].join("\n");
}
