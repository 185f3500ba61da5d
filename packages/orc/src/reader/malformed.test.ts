import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES, INVENTORY_SCHEMA, readInventoryTsv } from "../../test/inventory-rows.js";
import { prng } from "../../test/random-rows.js";
import { encodeOrc, OrcError, OrcReader } from "../index.js";
import { encodePostScript } from "../proto/encode-messages.js";

/** Reads everything a reader can read; returns the error code, or "ok". */
function readAll(bytes: Uint8Array): string {
  try {
    const reader = new OrcReader(bytes);
    for (let s = 0; s < reader.stripes.length; s++) {
      reader.readStripe(s);
      if ((reader.footer.rowIndexStride ?? 0) > 0) reader.readRowGroup(s, 0);
    }
    return "ok";
  } catch (error) {
    if (error instanceof OrcError) return error.code;
    throw error;
  }
}

const rows = readInventoryTsv("inventory5.tsv");
const zlib = encodeOrc(rows, { schema: INVENTORY_SCHEMA });
const none = encodeOrc(rows, { schema: INVENTORY_SCHEMA, compression: "NONE" });

function withPostScript(file: Buffer, change: Record<string, unknown>): Buffer {
  const reader = new OrcReader(file);
  const psLength = file[file.length - 1] as number;
  const body = file.subarray(0, file.length - 1 - psLength);
  const ps = encodePostScript({ ...reader.postScript, ...change });
  return Buffer.concat([body, ps, Buffer.from([ps.length])]);
}

describe("malformed input gives a clear OrcError, never a hang or a crash", () => {
  it("empty and tiny inputs are NOT_ORC", () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from("ORC"), Buffer.from([1, 2, 3, 4, 5])]) {
      expect(() => new OrcReader(bytes)).toThrow(expect.objectContaining({ code: "NOT_ORC" }));
    }
  });

  it("a text file is NOT_ORC with a message saying why", () => {
    expect(() => new OrcReader(Buffer.from("bucket,key\nmy-bucket,a.txt\n"))).toThrow(/Not an ORC file/);
  });

  it("bad postscript: wrong magic, future version, unknown codec", () => {
    expect(readAll(withPostScript(zlib, { magic: "ORK" }))).toBe("NOT_ORC");
    expect(readAll(withPostScript(zlib, { version: [1, 0] }))).toBe("UNSUPPORTED");
    expect(readAll(withPostScript(zlib, { compression: 5 }))).toBe("UNSUPPORTED");
    expect(readAll(withPostScript(zlib, { compression: 9 }))).toBe("CORRUPT_FILE");
  });

  it("lying lengths: footer or metadata longer than the file, footer length off by one", () => {
    const footerLength = new OrcReader(zlib).postScript.footerLength;
    expect(readAll(withPostScript(zlib, { footerLength: 10_000_000 }))).toBe("CORRUPT_FILE");
    expect(readAll(withPostScript(zlib, { metadataLength: 10_000_000 }))).toBe("CORRUPT_FILE");
    expect(readAll(withPostScript(zlib, { footerLength: footerLength + 1 }))).toBe("CORRUPT_FILE");
    expect(readAll(withPostScript(none, { footerLength: new OrcReader(none).postScript.footerLength - 1 }))).toBe(
      "CORRUPT_FILE",
    );
  });

  it("every truncation of a file fails cleanly", () => {
    for (const file of [zlib, none]) {
      for (let length = 0; length < file.length; length++) expect(readAll(file.subarray(0, length))).not.toBe("ok");
    }
  });

  it("fuzz: 3000 random corruptions of writer output and Apache files end in 'ok' or an OrcError", () => {
    const rand = prng(2024);
    const files = [
      zlib,
      none,
      readFileSync(`${FIXTURES}inventory5.none-dict.orc`),
      readFileSync(`${FIXTURES}apache-examples/TestOrcFile.test1.orc`),
    ];
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const file = Buffer.from(files[i % files.length] as Buffer);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) {
        // Half of the hits land in the last 300 bytes, where the footer and its lengths live.
        const at =
          rand() < 0.5
            ? file.length - 1 - Math.floor(rand() * Math.min(300, file.length))
            : Math.floor(rand() * file.length);
        file[at] = Math.floor(rand() * 256);
      }
      const outcome = readAll(file);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(outcomes.get("CORRUPT_FILE")).toBeGreaterThan(100);
  });
});
