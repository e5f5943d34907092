import { describe, expect, test } from "vitest";
import { declaredLength } from "@/lib/api/body-limits";
import { PayloadTooLargeError } from "@/lib/api/errors";
import { IncompleteBodyError, readLimited, readRequestBody, tooLarge } from "@/lib/import/input";

/** A stream of `chunks` byte arrays that records how many it handed out and whether it was cancelled. */
function countingStream(chunks: Uint8Array[]) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks.length) return controller.close();
      controller.enqueue(chunks[seen.pulled++]);
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 }); // no read-ahead: `pulled` counts what the reader asked for
  return { stream, seen };
}

const filled = (n: number, byte = 0x61) => new Uint8Array(n).fill(byte);

function post(body: ReadableStream<Uint8Array> | Uint8Array | null, headers: Record<string, string> = {}): Request {
  return new Request("http://test.local/api/import", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readLimited", () => {
  test.each([
    ["one chunk", [10], 10],
    ["several chunks", [3, 3, 4], 10],
    ["empty", [], 10],
  ])("%s at or under the limit comes back whole and in order", async (_name, sizes, max) => {
    const chunks = sizes.map((n, i) => filled(n, 0x61 + i));
    const { stream } = countingStream(chunks);
    const out = await readLimited(stream, max);
    expect(Buffer.from(out).toString()).toBe(chunks.map((c) => Buffer.from(c).toString()).join(""));
  });

  test("one byte over: a 413 naming the limit, and the stream is cancelled instead of read on", async () => {
    const { stream, seen } = countingStream([filled(6), filled(5), filled(100), filled(100)]);
    const err = await readLimited(stream, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).status).toBe(413);
    expect((err as Error).message).toBe("The file is larger than the import limit of 10 bytes.");
    expect(seen.pulled).toBe(2);
    expect(seen.cancelled).toBe(true);
  });

  test("reads an async iterable (a Node stream) the same way", async () => {
    async function* gen() {
      yield filled(4);
      yield filled(4);
    }
    expect((await readLimited(gen(), 8)).byteLength).toBe(8);
    await expect(readLimited(gen(), 7)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});

describe("readRequestBody", () => {
  test("a Content-Length over the limit is refused before a byte is read", async () => {
    const { stream, seen } = countingStream([filled(50)]);
    const err = await readRequestBody(post(stream, { "content-length": "50" }), 49).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as Error).message).toBe("The file is 50 bytes; the import limit is 49 bytes.");
    expect(seen.pulled).toBe(0);
  });

  test("without a Content-Length (chunked), streaming past the limit is a 413 naming the limit", async () => {
    const { stream } = countingStream([filled(1024 * 1024), filled(1024 * 1024), filled(1)]);
    await expect(readRequestBody(post(stream), 2 * 1024 * 1024, { what: "deploy events", subject: "The body" })).rejects.toThrow(
      "The body is larger than the deploy events limit of 2 MB.",
    );
  });

  test("exactly at the limit, with or without a Content-Length, the body comes back whole", async () => {
    const bytes = filled(4096, 0x7a);
    expect(Buffer.from(await readRequestBody(post(bytes), 4096)).equals(Buffer.from(bytes))).toBe(true);
    const { stream } = countingStream([filled(2048), filled(2048)]);
    expect((await readRequestBody(post(stream), 4096)).byteLength).toBe(4096);
  });

  test("fewer bytes than the Content-Length announced (a body cut on the way) is an error, never a short read", async () => {
    const { stream } = countingStream([filled(30)]);
    const err = await readRequestBody(post(stream, { "content-length": "40" }), 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompleteBodyError);
    expect((err as IncompleteBodyError).status).toBe(400);
    expect((err as Error).message).toContain("30 of the 40 bytes");
  });

  test("no body at all reads as empty", async () => {
    expect((await readRequestBody(post(null), 10)).byteLength).toBe(0);
  });
});

describe("tooLarge and declaredLength", () => {
  test.each([
    [null, 50 * 1024 * 1024, "The file is larger than the import limit of 50 MB."],
    [51 * 1024 * 1024 + 5, 50 * 1024 * 1024, "The file is 51.0 MB; the import limit is 50 MB."],
    // Just over, both round to 50 MB: the bytes say which is larger.
    [50 * 1024 * 1024 + 1, 50 * 1024 * 1024, "The file is 52428801 bytes; the import limit is 50 MB (52428800 bytes)."],
  ])("size %s over %s", (size, max, message) => {
    expect(tooLarge(size, max).message).toBe(message);
  });

  test.each([
    ["123", 123],
    [" 7 ", 7],
    ["", null],
    ["-1", null],
    ["1e3", null],
    ["12abc", null],
  ])("content-length %j → %s", (raw, expected) => {
    const headers = new Headers();
    if (raw !== "") headers.set("content-length", raw);
    expect(declaredLength(headers)).toBe(expected);
  });
});
