import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { canonicalRowSchema, RowFailure } from "@/lib/import/row-reader";

/**
 * Valid rows skip zod through per-column checks that mirror each schema. These
 * properties hold the two together: for any row, the fast reader and a zod-only
 * reader give the same incident or the same failure, reasons and all.
 */
/** Values a column accepts, and values that break it (or look close to valid). */
const COLUMNS: Record<string, { good: string[]; bad: string[] }> = {
  id: { good: ["INC-1", "  A-2 "], bad: [""] },
  title: { good: ["Checkout errors"], bad: ["", "x".repeat(501)] },
  severity: { good: ["SEV1", "P2"], bad: [""] },
  started_at: { good: ["2024-02-01T10:00:00Z", "2024-02-01T11:30:00+02:00"], bad: ["2024-02-01 10:00", "2024-13-01T00:00:00Z", "yesterday", ""] },
  resolved_at: { good: ["2024-02-01T12:00:00Z", ""], bad: ["2024-01-01T00:00:00Z", "soon"] },
  impact_start: { good: ["2024-02-01T10:05:00Z", ""], bad: ["later"] },
  impact_end: { good: ["2024-02-01T11:00:00Z", ""], bad: ["2024-01-31T00:00:00Z"] },
  trigger: { good: ["change", "other", "unknown", ""], bad: ["Change!", "maybe"] },
  analysis_status: { good: ["pending", "final", ""], bad: ["done"] },
  customer_impact_pct: { good: ["0", "12.5", "100", ""], bad: ["140", "-1", "1e400", "NaN", "abc", "100.01"] },
  fleet_exposure_pct: { good: ["5", "100.0", ""], bad: ["101"] },
  services: { good: ["a;b", "a; a ;b", ""], bad: [] },
  override: { good: [""], bad: ["maybe", "include"] },
  url: { good: ["https://example.com/x", ""], bad: ["ftp://example.com", "https://exa mple.com", "x".repeat(2100)] },
  team: { good: ["payments", ""], bad: [] },
};
const KEYS = Object.keys(COLUMNS);

/** A valid row with up to two columns replaced by anything: mostly near-valid rows, where a loose check would show. */
const row = fc
  .tuple(
    fc.tuple(...KEYS.map((k) => fc.constantFrom(...COLUMNS[k].good))),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...KEYS.flatMap((k) => [...COLUMNS[k].bad, ...COLUMNS[k].good])))), { maxLength: 2 }),
  )
  .map(([values, swaps]) => {
    const r: Record<string, string> = Object.fromEntries(KEYS.map((k, i) => [k, values[i]]));
    for (const [k, v] of swaps) r[k] = v;
    return r;
  });

function outcome(r: unknown) {
  return r instanceof RowFailure ? { failed: r.sourceId, issues: r.issues } : { ok: r };
}

describe("the import's fast path agrees with zod", () => {
  test.each([null, "Europe/Berlin"])("for any row (time zone %s)", (timezone) => {
    const ctx = { source: "prop", timezone };
    const fast = canonicalRowSchema(ctx);
    const slow = canonicalRowSchema(ctx, undefined, { fastPath: false });
    let accepted = 0;
    fc.assert(
      fc.property(row, (r) => {
        const got = outcome(fast.readRow(r));
        expect(got).toEqual(outcome(slow.readRow(r)));
        if ("ok" in got) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often, or agreement would prove little.
    expect(accepted).toBeGreaterThan(500);
  });

  test("for CSV records read by header position", () => {
    const headers = [...KEYS, "title"];
    const ctx = { source: "prop", timezone: null };
    const fast = canonicalRowSchema(ctx, headers).forHeaders(headers);
    const slow = canonicalRowSchema(ctx, headers, { fastPath: false }).forHeaders(headers);
    fc.assert(
      fc.property(row, (r) => {
        const rec = headers.map((h) => r[h] ?? "");
        expect(outcome(fast(rec))).toEqual(outcome(slow(rec)));
      }),
      { numRuns: 3000 },
    );
  });
});
