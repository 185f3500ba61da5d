import { describe, expect, it } from "vitest";
import { S3Error } from "../errors/s3-error.js";
import { AwsChunkedDecoder, isAwsChunked } from "./aws-chunked-decoder.js";

interface Outcome {
  data: Buffer;
  trailers: Map<string, string>;
  decodedLength: number;
  chunkSignatures: number;
  error?: S3Error;
}

/** Feeds the parts one write() each and collects what comes out (payload, trailers, or the error). */
async function decode(parts: (string | Buffer)[], options?: { maxChunkHeaderBytes?: number }): Promise<Outcome> {
  const decoder = new AwsChunkedDecoder(options);
  const out: Buffer[] = [];
  const finished = new Promise<S3Error | undefined>((resolve) => {
    decoder.on("data", (chunk: Buffer) => out.push(chunk));
    decoder.on("end", () => resolve(undefined));
    decoder.on("error", (error) => resolve(error as S3Error));
  });
  for (const part of parts) {
    if (decoder.destroyed) break;
    decoder.write(typeof part === "string" ? Buffer.from(part, "latin1") : part);
  }
  if (!decoder.destroyed) decoder.end();
  const error = await finished;
  return {
    data: Buffer.concat(out),
    trailers: decoder.trailers,
    decodedLength: decoder.decodedLength,
    chunkSignatures: decoder.chunkSignatures,
    ...(error ? { error } : {}),
  };
}

/** Frames `payload` the way the SDKs do: the given chunk sizes, optional signatures, optional trailer lines. */
function encode(payload: Buffer, chunkSize: number, opts: { signed?: boolean; trailers?: string[] } = {}): Buffer {
  const sig = (n: number) => (opts.signed ? `;chunk-signature=${n.toString(16).padStart(64, "0")}` : "");
  const pieces: Buffer[] = [];
  let n = 0;
  for (let pos = 0; pos < payload.length; pos += chunkSize) {
    const chunk = payload.subarray(pos, pos + chunkSize);
    pieces.push(Buffer.from(`${chunk.length.toString(16)}${sig(n++)}\r\n`), chunk, Buffer.from("\r\n"));
  }
  pieces.push(Buffer.from(`0${sig(n)}\r\n${(opts.trailers ?? []).map((t) => `${t}\r\n`).join("")}\r\n`));
  return Buffer.concat(pieces);
}

const CAPTURED = "6\r\nhello\n\r\n0\r\nx-amz-checksum-crc32:NjowIA==\r\n\r\n";
const SIG = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
const SIGNED = `5;chunk-signature=${SIG}\r\nhello\r\n0;chunk-signature=${SIG}\r\n\r\n`;
const SIGNED_TRAILER =
  `5;chunk-signature=${SIG}\r\nhello\r\n0;chunk-signature=${SIG}\r\n` +
  `x-amz-checksum-crc32c:mnG7TA==\r\nx-amz-trailer-signature:${SIG}\r\n\r\n`;
// Payload full of framing look-alikes: must come out verbatim.
const TRICKY = Buffer.from("0\r\n\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n5;chunk-signature=00\r\n");

async function expectDecodes(body: string | Buffer, data: string | Buffer, trailers: Record<string, string> = {}) {
  const bytes = typeof body === "string" ? Buffer.from(body, "latin1") : body;
  const expected = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  const splits: (string | Buffer)[][] = [[bytes], Array.from(bytes, (b) => Buffer.from([b]))];
  for (let i = 0; i <= bytes.length; i++) splits.push([bytes.subarray(0, i), bytes.subarray(i)]);
  for (const parts of splits) {
    const outcome = await decode(parts);
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(expected)).toBe(true);
    expect(outcome.decodedLength).toBe(expected.length);
    expect(Object.fromEntries(outcome.trailers)).toEqual(trailers);
  }
}

async function expectError(parts: (string | Buffer)[], code: string) {
  const outcome = await decode(parts);
  expect(outcome.error).toBeInstanceOf(S3Error);
  expect(outcome.error?.code).toBe(code);
}

describe("AwsChunkedDecoder: valid bodies at every split point", () => {
  it("decodes the captured SDK v3 unsigned-trailer body", async () => {
    await expectDecodes(CAPTURED, "hello\n", { "x-amz-checksum-crc32": "NjowIA==" });
  });

  it("decodes a signed body without trailer and counts signatures", async () => {
    await expectDecodes(SIGNED, "hello");
    expect((await decode([SIGNED])).chunkSignatures).toBe(2);
  });

  it("decodes a signed body with trailer and trailer signature", async () => {
    await expectDecodes(SIGNED_TRAILER, "hello", {
      "x-amz-checksum-crc32c": "mnG7TA==",
      "x-amz-trailer-signature": SIG,
    });
  });

  it("decodes multi-chunk bodies whose payload looks like framing", async () => {
    const payload = Buffer.concat([TRICKY, TRICKY, Buffer.from([0, 255, 13, 10, 13])]);
    for (const chunkSize of [1, 3, 16, payload.length]) {
      await expectDecodes(encode(payload, chunkSize, { signed: chunkSize === 3 }), payload);
    }
  });

  it("decodes an empty payload (only the final chunk)", async () => {
    await expectDecodes("0\r\n\r\n", "");
    await expectDecodes("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", "", { "x-amz-checksum-crc32": "AAAAAA==" });
  });

  it("accepts all three-way splits of the captured body", async () => {
    const bytes = Buffer.from(CAPTURED);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const outcome = await decode([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(outcome.error).toBeUndefined();
        expect(outcome.data.toString()).toBe("hello\n");
      }
    }
  });

  it("decodes a large body quickly, with chunk sizes that straddle input writes", async () => {
    const payload = Buffer.alloc(8 * 1024 * 1024 + 7, 0x61);
    const body = encode(payload, 64 * 1024 + 3, { trailers: ["x-amz-checksum-crc32:AAAAAA=="] });
    const writes: Buffer[] = [];
    for (let pos = 0; pos < body.length; pos += 16_381) writes.push(body.subarray(pos, pos + 16_381));
    const outcome = await decode(writes);
    expect(outcome.error).toBeUndefined();
    expect(outcome.data.equals(payload)).toBe(true);
  });
});

describe("AwsChunkedDecoder: leniency", () => {
  it("accepts bare LF and blanks around ':' in the trailer, and extra CRLFs after the end", async () => {
    await expectDecodes("6\r\nhello\n\r\n0\r\nX-Amz-Checksum-CRC32 : NjowIA== \n\n", "hello\n", {
      "x-amz-checksum-crc32": "NjowIA==",
    });
    await expectDecodes(`${CAPTURED}\r\n\r\n`, "hello\n", { "x-amz-checksum-crc32": "NjowIA==" });
  });

  it("accepts upper-case hex and leading zeros in sizes", async () => {
    await expectDecodes(`00A\r\n0123456789\r\n0\r\n\r\n`, "0123456789");
  });
});

describe("AwsChunkedDecoder: truncation", () => {
  for (const [name, body] of Object.entries({ CAPTURED, SIGNED, SIGNED_TRAILER })) {
    it(`every strict prefix of ${name} is IncompleteBody`, async () => {
      const bytes = Buffer.from(body);
      for (let i = 0; i < bytes.length; i++) {
        await expectError([bytes.subarray(0, i)], "IncompleteBody");
        await expectError(
          Array.from(bytes.subarray(0, i), (b) => Buffer.from([b])),
          "IncompleteBody",
        );
      }
    });
  }

  it("a huge declared size followed by end is IncompleteBody", async () => {
    await expectError(["FFFFFFFF\r\nabc"], "IncompleteBody");
    await expectError(["1fffffffffffff\r\n"], "IncompleteBody");
  });
});

describe("AwsChunkedDecoder: framing errors", () => {
  const garbage = [
    "xyz\r\nhello\r\n0\r\n\r\n",
    "-5\r\nhello\r\n0\r\n\r\n",
    "0x5\r\nhello\r\n0\r\n\r\n",
    " 5\r\nhello\r\n0\r\n\r\n",
    "\r\nhello\r\n0\r\n\r\n",
    ";chunk-signature=00\r\nhello\r\n0\r\n\r\n",
    "5\nhello\r\n0\r\n\r\n", // bare LF after a size
    "20000000000000\r\n", // beyond Number.MAX_SAFE_INTEGER
    "00000000000000001\r\n", // 17 hex digits
    "5\r\nhelloXX0\r\n\r\n", // no CRLF after data
    "5\r\nhello\rX0\r\n\r\n",
    "5\r\nhello\n\r0\r\n\r\n",
    "5\r\nhello\r\n0\r\nno-colon-here\r\n\r\n",
    "5\r\nhello\r\n0\r\n:value\r\n\r\n",
    "5\r\nhello\r\n0\r\n\r\ngarbage after the end",
  ];
  for (const body of garbage) {
    it(`rejects ${JSON.stringify(body)}`, async () => {
      await expectError([body], "InvalidRequest");
      await expectError(
        Array.from(Buffer.from(body), (b) => Buffer.from([b])),
        "InvalidRequest",
      );
    });
  }

  it("rejects an over-long chunk header without waiting for its end", async () => {
    await expectError([`5;${"x".repeat(5000)}`], "InvalidRequest");
    const tiny = await decode([`5;${"x".repeat(100)}\r\nhello\r\n0\r\n\r\n`], { maxChunkHeaderBytes: 64 });
    expect(tiny.error?.code).toBe("InvalidRequest");
    const roomy = await decode([`5;${"x".repeat(100)}\r\nhello\r\n0\r\n\r\n`], { maxChunkHeaderBytes: 1024 });
    expect(roomy.error).toBeUndefined();
  });

  it("rejects an endless trailer section", async () => {
    await expectError(
      ["0\r\n", ...Array.from({ length: 1000 }, (_, i) => `x-pad-${i}:${"y".repeat(40)}\r\n`)],
      "InvalidRequest",
    );
  });
});

describe("isAwsChunked", () => {
  it("detects aws-chunked by content-encoding or streaming sha256", () => {
    expect(isAwsChunked({ "content-encoding": "aws-chunked" })).toBe(true);
    expect(isAwsChunked({ "content-encoding": "gzip, AWS-CHUNKED" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "content-encoding": "gzip" })).toBe(false);
    expect(isAwsChunked({})).toBe(false);
  });
});
