import { Crc32c } from "@aws-crypto/crc32c";
import { Crc64Nvme } from "@aws-sdk/crc64-nvme";
import { describe, expect, it } from "vitest";
import { S3Error } from "../errors/s3-error.js";
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumAlgorithmFromHeader,
  checksumDigestLength,
  checksumHeader,
  checksumMismatch,
  compositeDigest,
  createHasher,
  digestOf,
  findRequestChecksum,
  parseChecksumAlgorithm,
  validateChecksumValue,
} from "./checksums.js";

// Vectors computed independently (python3 zlib/hashlib, bitwise CRC loops); "NjowIA==" is from a real capture.
const VECTORS: Record<ChecksumAlgorithm, Record<string, string>> = {
  CRC32: { "hello\n": "NjowIA==", "123456789": "y/Q5Jg==", "": "AAAAAA==" },
  CRC32C: { "hello\n": "NT3Yvg==", "123456789": "4waSgw==", "": "AAAAAA==" },
  SHA1: {
    "hello\n": "9XLTlvrpIGYocU+yzgD3LpTyJY8=",
    "123456789": "98O8HYCOBHMq32eZZczDTKeuNEE=",
    "": "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
  },
  SHA256: {
    "hello\n": "WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=",
    "123456789": "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=",
    "": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
  },
  CRC64NVME: { "hello\n": "akP7S61aVgc=", "123456789": "rosUhgp5mIg=", "": "AAAAAAAAAAA=" },
};

// 100,000 bytes of (i*7+3) & 0xff: exercises the table paths over many chunk splits.
const BIG = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7 + 3) & 0xff));
const BIG_VECTORS: Partial<Record<ChecksumAlgorithm, string>> = {
  CRC32: "9zDKqA==",
  CRC32C: "lvMdxg==",
  CRC64NVME: "FaqxJz+t8QE=",
};

function expectS3Error(fn: () => unknown, code: string, message?: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(S3Error);
    expect((error as S3Error).code).toBe(code);
    if (message !== undefined) expect((error as S3Error).message).toBe(message);
    return;
  }
  throw new Error("expected an S3Error");
}

describe("hashers", () => {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    it(`${algorithm} matches known vectors`, () => {
      for (const [input, expected] of Object.entries(VECTORS[algorithm])) {
        expect(digestOf(algorithm, Buffer.from(input)).toString("base64")).toBe(expected);
      }
    });

    it(`${algorithm} is independent of how the input is split`, () => {
      const whole = digestOf(algorithm, BIG);
      const hasher = createHasher(algorithm);
      for (let pos = 0, step = 1; pos < BIG.length; pos += step, step = (step * 3 + 1) % 9973) {
        hasher.update(BIG.subarray(pos, pos + step));
      }
      expect(hasher.digest().equals(whole)).toBe(true);
      expect(whole.length).toBe(checksumDigestLength(algorithm));
      const big = BIG_VECTORS[algorithm];
      if (big) expect(whole.toString("base64")).toBe(big);
    });
  }

  it("CRC32C / CRC64NVME check values of '123456789' as integers", () => {
    expect(digestOf("CRC32C", Buffer.from("123456789")).readUInt32BE()).toBe(0xe3069283);
    expect(digestOf("CRC64NVME", Buffer.from("123456789")).readBigUInt64BE()).toBe(0xae8b14860a799888n);
  });

  it("CRC32C and CRC64NVME agree with the AWS implementations on every length and offset", async () => {
    // Odd offsets and lengths 0..40 cover the 8-byte fast path, the byte tail and unaligned DataViews.
    for (let length = 0; length <= 40; length++) {
      const data = BIG.subarray(length % 5, (length % 5) + length);
      const crc32c = new Crc32c();
      crc32c.update(data);
      expect(digestOf("CRC32C", data).readUInt32BE()).toBe(crc32c.digest());
      const crc64 = new Crc64Nvme();
      crc64.update(data);
      expect(Buffer.from(await crc64.digest()).equals(digestOf("CRC64NVME", data))).toBe(true);
    }
  });
});

describe("names", () => {
  it("maps algorithms to header names and back", () => {
    expect(checksumHeader("CRC32")).toBe("x-amz-checksum-crc32");
    expect(checksumHeader("CRC64NVME")).toBe("x-amz-checksum-crc64nvme");
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      expect(checksumAlgorithmFromHeader(checksumHeader(algorithm).toUpperCase())).toBe(algorithm);
    }
    expect(checksumAlgorithmFromHeader("x-amz-checksum-algorithm")).toBeUndefined();
  });

  it("parses algorithm names case-insensitively", () => {
    expect(parseChecksumAlgorithm("crc32c")).toBe("CRC32C");
    expect(parseChecksumAlgorithm("Sha256")).toBe("SHA256");
    expect(parseChecksumAlgorithm("MD5")).toBeUndefined();
    expect(parseChecksumAlgorithm("")).toBeUndefined();
    expect(parseChecksumAlgorithm(undefined)).toBeUndefined();
  });
});

describe("compositeDigest", () => {
  it("hashes the concatenated raw part digests", () => {
    const parts = ["hello\n", "123456789"].map((s) => Buffer.from(s));
    const digests = (algorithm: ChecksumAlgorithm) => parts.map((p) => digestOf(algorithm, p));
    expect(compositeDigest("CRC32", digests("CRC32")).toString("base64")).toBe("ICDtag==");
    expect(compositeDigest("SHA256", digests("SHA256")).toString("base64")).toBe(
      "zYBRquHl2NERaddWXnOJkbwdouzhcEqklrgATF9PXxg=",
    );
    expect(compositeDigest("CRC64NVME", digests("CRC64NVME")).toString("base64")).toBe("gH5nVAh2ltU=");
  });
});

describe("validateChecksumValue", () => {
  it("accepts canonical base64 of the right length", () => {
    expect(() => validateChecksumValue("CRC32", "NjowIA==")).not.toThrow();
    expect(() => validateChecksumValue("CRC64NVME", "rosUhgp5mIg=")).not.toThrow();
  });

  it("rejects wrong length, bad characters and missing padding with S3's message", () => {
    const message = "Value for x-amz-checksum-crc32 header is invalid.";
    for (const bad of ["", "NjowIA", "NjowIAA=", "rosUhgp5mIg=", "Njo*IA==", "not base64 at all"]) {
      expectS3Error(() => validateChecksumValue("CRC32", bad), "InvalidRequest", message);
    }
    expectS3Error(
      () => validateChecksumValue("SHA256", "NjowIA=="),
      "InvalidRequest",
      "Value for x-amz-checksum-sha256 header is invalid.",
    );
  });
});

describe("findRequestChecksum", () => {
  it("returns undefined when no checksum value header is present", () => {
    expect(findRequestChecksum({ "content-type": "text/plain" })).toBeUndefined();
    expect(findRequestChecksum({ "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "COMPOSITE" })).toBe(
      undefined,
    );
  });

  it("finds the one checksum header", () => {
    expect(findRequestChecksum({ "x-amz-checksum-crc32": "NjowIA==", "x-amz-checksum-algorithm": "CRC32" })).toEqual({
      algorithm: "CRC32",
      expected: "NjowIA==",
    });
    expect(findRequestChecksum({ "x-amz-checksum-crc64nvme": "rosUhgp5mIg=", other: undefined })).toEqual({
      algorithm: "CRC64NVME",
      expected: "rosUhgp5mIg=",
    });
  });

  it("rejects two different checksum headers", () => {
    expectS3Error(
      () => findRequestChecksum({ "x-amz-checksum-crc32": "NjowIA==", "x-amz-checksum-crc32c": "NT3Yvg==" }),
      "InvalidRequest",
      "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    );
  });

  it("rejects a malformed value", () => {
    expectS3Error(
      () => findRequestChecksum({ "x-amz-checksum-sha1": "NjowIA==" }),
      "InvalidRequest",
      "Value for x-amz-checksum-sha1 header is invalid.",
    );
    expectS3Error(() => findRequestChecksum({ "x-amz-checksum-crc32": ["NjowIA==", "y/Q5Jg=="] }), "InvalidRequest");
  });
});

describe("checksumMismatch", () => {
  it("is BadDigest with S3's wording", () => {
    const error = checksumMismatch("CRC32C");
    expect(error.code).toBe("BadDigest");
    expect(error.status).toBe(400);
    expect(error.message).toBe("The CRC32C you specified did not match the calculated checksum.");
  });
});
