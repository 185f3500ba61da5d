// parsePolicy: what it accepts (and how it normalizes it) and every MalformedPolicy message it gives, on both
// profiles' principal rules. spec/clients.md §1.5 records the JSON and Statement messages against real AWS.
import { describe, expect, it } from "vitest";
import { S3Error } from "../errors/s3-error.js";
import { PROFILES } from "../profiles.js";
import { MAX_POLICY_BYTES, parsePolicy } from "./policy-document.js";

const AWS = PROFILES.aws.policyRules;
const CW = PROFILES.coreweave.policyRules;
const BUCKET = "my-bucket";

const base = {
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:user/alice" },
  Action: "s3:GetObject",
  Resource: `arn:aws:s3:::${BUCKET}/*`,
};
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const with_ = (fields: Record<string, unknown>) => doc({ ...base, ...fields });

function malformed(text: string, rules = AWS, bucket: string | undefined = BUCKET): string {
  try {
    parsePolicy(text, bucket, rules);
  } catch (error) {
    expect(error).toBeInstanceOf(S3Error);
    expect((error as S3Error).code).toBe("MalformedPolicy");
    return (error as S3Error).message;
  }
  throw new Error(`accepted: ${text.slice(0, 200)}`);
}

describe("accepted documents", () => {
  it("normalizes single strings to lists and keeps Sid, Effect and conditions (values as strings)", () => {
    const policy = parsePolicy(
      JSON.stringify({
        Statement: {
          ...base,
          Condition: { Bool: { "aws:SecureTransport": false }, NumericLessThan: { "s3:max-keys": 10 } },
        },
      }),
      BUCKET,
      AWS,
    );
    expect(policy.statements).toEqual([
      {
        sid: "Read",
        effect: "Allow",
        principal: { AWS: ["arn:aws:iam::111122223333:user/alice"] },
        action: ["s3:GetObject"],
        resource: [`arn:aws:s3:::${BUCKET}/*`],
        condition: { Bool: { "aws:SecureTransport": ["false"] }, NumericLessThan: { "s3:max-keys": ["10"] } },
      },
    ]);
  });

  it("NotPrincipal, NotAction and NotResource", () => {
    const { Principal: _p, Action: _a, Resource: _r, ...rest } = base;
    const [statement] = parsePolicy(
      doc({
        ...rest,
        NotPrincipal: { AWS: "111122223333" },
        NotAction: ["s3:Delete*"],
        NotResource: "arn:aws:s3:::other/*",
      }),
      BUCKET,
      AWS,
    ).statements;
    expect(statement).toMatchObject({
      notPrincipal: { AWS: ["111122223333"] },
      notAction: ["s3:Delete*"],
      notResource: ["arn:aws:s3:::other/*"],
    });
    expect(statement).not.toHaveProperty("principal");
  });

  it.each([
    ["*", "*"],
    ["a 12-digit account id", { AWS: "111122223333" }],
    ["an account root", { AWS: "arn:aws:iam::111122223333:root" }],
    ["an assumed role", { AWS: "arn:aws:sts::111122223333:assumed-role/r/session" }],
    ["a service", { Service: "s3.amazonaws.com" }],
    ["a canonical user", { CanonicalUser: "a".repeat(64) }],
    ["several kinds", { AWS: ["*"], Service: ["s3.amazonaws.com", "logging.s3.amazonaws.com"] }],
  ])("AWS principal: %s", (_name, principal) => {
    expect(() => parsePolicy(with_({ Principal: principal }), BUCKET, AWS)).not.toThrow();
  });

  it.each([
    ["the bucket", `arn:aws:s3:::${BUCKET}`],
    ["a prefix", `arn:aws:s3:::${BUCKET}/inventory-reports/*`],
    ["everything", "*"],
    ["every bucket's objects", "arn:aws:s3:::*/*"],
    ["a bucket wildcard", "arn:aws:s3:::my-*"],
    ["a ? wildcard", "arn:aws:s3:::my-buck?t/*"],
  ])("a resource naming %s applies to the bucket", (_name, resource) => {
    expect(() => parsePolicy(with_({ Resource: [resource] }), BUCKET, AWS)).not.toThrow();
  });

  it("CoreWeave: `CW` principals, org-scoped ARNs and Terraform's lowercase `resource`", () => {
    const { Resource: _r, ...rest } = base;
    const text = doc({
      ...rest,
      Principal: { CW: ["*", "arn:aws:iam::orga:coreweave/alice", "arn:aws:iam::static:role/static/inventory"] },
      resource: [`arn:aws:s3:::${BUCKET}`],
    });
    expect(parsePolicy(text, BUCKET, CW).statements[0]).toMatchObject({
      principal: { CW: expect.any(Array) },
      resource: [`arn:aws:s3:::${BUCKET}`],
    });
    expect(malformed(text, AWS)).toBe("Invalid principal in policy"); // no `CW` on AWS
  });

  it("organization policies (no bucket) may name any bucket", () => {
    expect(() => parsePolicy(with_({ Resource: "arn:aws:s3:::someone-else/*" }), undefined, CW)).not.toThrow();
  });
});

describe("MalformedPolicy messages", () => {
  const JSON_MESSAGE = "Policies must be valid JSON and the first byte must be '{'";
  it.each([[""], ["invalid json"], ["   "], ["{"], ['{"Statement": [}'], [`[${doc(base)}]`], ['"{}"'], ["null"]])(
    "%j: not JSON or not an object",
    (text) => {
      expect(malformed(text)).toBe(JSON_MESSAGE);
    },
  );

  it.each<[string, string, string]>([
    ["no Statement", "{}", "Missing required field Statement"],
    ["an empty Statement", JSON.stringify({ Statement: [] }), "Could not parse the policy: Statement is empty!"],
    [
      "a statement that is not an object",
      JSON.stringify({ Statement: ["s3:*"] }),
      "Policy statement must be an object",
    ],
    ["no Effect", doc({ ...base, Effect: undefined }), "Missing required field Effect"],
    ["an unknown Effect", with_({ Effect: "Permit" }), "Invalid effect: Permit"],
    ["a lowercase Effect", with_({ Effect: "deny" }), "Invalid effect: deny"],
    ["no Principal", doc({ ...base, Principal: undefined }), "Missing required field Principal"],
    ["no Action", doc({ ...base, Action: undefined }), "Missing required field Action"],
    ["no Resource", doc({ ...base, Resource: undefined }), "Missing required field Resource"],
    ["an action of another service", with_({ Action: "ec2:RunInstances" }), "Policy has invalid action"],
    ["an action with a space", with_({ Action: "s3:Get Object" }), "Policy has invalid action"],
    ["an empty action list", with_({ Action: [] }), "Policy has invalid action"],
    ["a resource of another service", with_({ Resource: "arn:aws:s4:::my-bucket/*" }), "Policy has invalid resource"],
    ["a resource that is not an ARN", with_({ Resource: "my-bucket/*" }), "Policy has invalid resource"],
    ["a non-string resource", with_({ Resource: [42] }), "Policy has invalid resource"],
    [
      "another bucket",
      with_({ Resource: "arn:aws:s3:::other-bucket/*" }),
      "Action does not apply to any resource(s) in statement",
    ],
    [
      "a bucket sharing a prefix",
      with_({ Resource: ["arn:aws:s3:::my-bucket-2/*", "arn:aws:s3:::my-bucket2"] }),
      "Action does not apply to any resource(s) in statement",
    ],
    [
      "a wildcard that cannot match",
      with_({ Resource: "arn:aws:s3:::other-*/*" }),
      "Action does not apply to any resource(s) in statement",
    ],
    ["a short account id", with_({ Principal: { AWS: "arn:aws:iam::12345:user/bob" } }), "Invalid principal in policy"],
    ["a bare user name", with_({ Principal: { AWS: "bob" } }), "Invalid principal in policy"],
    [
      "a principal string other than *",
      with_({ Principal: "arn:aws:iam::111122223333:root" }),
      "Invalid principal in policy",
    ],
    ["an unknown principal type", with_({ Principal: { Robot: "*" } }), "Invalid principal in policy"],
    ["an empty principal list", with_({ Principal: { AWS: [] } }), "Invalid principal in policy"],
    ["a bad service name", with_({ Principal: { Service: "S3 Service" } }), "Invalid principal in policy"],
    ["a short canonical id", with_({ Principal: { CanonicalUser: "abc123" } }), "Invalid principal in policy"],
    [
      "an unknown condition operator",
      with_({ Condition: { StringSortOf: { "s3:prefix": "a" } } }),
      "Invalid Condition type : StringSortOf",
    ],
    ["a condition that is a list", with_({ Condition: [] }), "Invalid Condition type"],
    ["a condition block that is a string", with_({ Condition: { StringEquals: "a" } }), "Invalid Condition type"],
    [
      "a condition value that is an object",
      with_({ Condition: { StringEquals: { "s3:prefix": { a: 1 } } } }),
      "Invalid Condition type",
    ],
  ])("%s", (_name, text, message) => {
    expect(malformed(text)).toBe(message);
  });

  it("the first bad statement decides, even after good ones", () => {
    expect(malformed(doc(base, { ...base, Effect: "Maybe" }))).toBe("Invalid effect: Maybe");
  });

  it("CoreWeave principals must still look like ARNs or ids", () => {
    expect(malformed(with_({ Principal: { CW: "not an arn" } }), CW)).toBe("Invalid principal in policy");
    expect(malformed(with_({ Principal: { CanonicalUser: "a".repeat(64) } }), CW)).toBe("Invalid principal in policy");
  });
});

describe("the 20 KB limit, counted without insignificant whitespace", () => {
  /** A document whose minified JSON is exactly `bytes` long. */
  const sized = (bytes: number) => {
    const empty = JSON.stringify({ Statement: [{ ...base, Sid: "" }] });
    return JSON.stringify({ Statement: [{ ...base, Sid: "x".repeat(bytes - empty.length) }] });
  };

  it("exactly 20 KB is accepted, one byte more is not", () => {
    expect(Buffer.byteLength(sized(MAX_POLICY_BYTES))).toBe(20 * 1024);
    expect(() => parsePolicy(sized(MAX_POLICY_BYTES), BUCKET, AWS)).not.toThrow();
    expect(malformed(sized(MAX_POLICY_BYTES + 1))).toBe("Policy exceeds the maximum allowed document size.");
    expect(malformed(sized(21 * 1024))).toBe("Policy exceeds the maximum allowed document size.");
  });

  it("whitespace does not count, multi-byte characters count as bytes", () => {
    const padded = JSON.stringify(JSON.parse(sized(MAX_POLICY_BYTES)), null, 10);
    expect(Buffer.byteLength(padded)).toBeGreaterThan(MAX_POLICY_BYTES);
    expect(() => parsePolicy(padded, BUCKET, AWS)).not.toThrow();
    const wide = JSON.stringify({ Statement: [{ ...base, Sid: "\u00e9".repeat(MAX_POLICY_BYTES / 2) }] });
    expect(wide.length).toBeLessThan(MAX_POLICY_BYTES + 200);
    expect(malformed(wide)).toBe("Policy exceeds the maximum allowed document size.");
  });
});
