/**
 * GET /api/metrics/quarters answers only what is asked: quarter figures by default, the
 * per-incident verdicts page by page with include=incidents, 422 for a bad query, and a
 * gzip-encoded answer for a client that accepts it (Next's `compress`, on for `next start`).
 */
import http from "node:http";
import zlib from "node:zlib";
import { expect, test } from "@playwright/test";
import { createTokenViaCli, mainDbUrl, revokeTokenViaCli, uniqueName } from "./support/auth";

type Quarter = { quarter: string; hours: number; countedIncidents: number; countedIncidentIds?: unknown };
type Verdict = { id: string; counted: boolean; reason: string };
type PageInfo = { limit: number; total: number; nextCursor: string | null; next: string | null };

test("by default: each quarter's figures with a count of counted incidents, and no per-incident list", async ({ request }) => {
  const res = await request.get("/api/metrics/quarters");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { asOf: string; range: { from: string; to: string }; quarters: Quarter[] };
  expect(Object.keys(body).sort()).toEqual(["asOf", "quarters", "range"]);
  expect(body.quarters.length).toBeGreaterThan(4);
  expect(body.range).toEqual({ from: body.quarters[0].quarter, to: body.quarters.at(-1)!.quarter });
  expect(Date.now() - Date.parse(body.asOf)).toBeGreaterThanOrEqual(0);
  for (const q of body.quarters) {
    expect(q).not.toHaveProperty("countedIncidentIds");
    expect(Number.isInteger(q.countedIncidents)).toBe(true);
  }
  expect(body.quarters.some((q) => q.countedIncidents > 0)).toBe(true);
});

test("include=incidents pages through every verdict in id order, following next to the last page", async ({ request }) => {
  const asOf = new Date().toISOString();
  let url: string | null = `/api/metrics/quarters?include=incidents&limit=7&asOf=${encodeURIComponent(asOf)}`;
  const ids: string[] = [];
  const sizes: number[] = [];
  let total = -1;
  while (url) {
    const res = await request.get(url);
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { asOf: string; quarters: Quarter[]; incidents: Verdict[]; page: PageInfo };
    expect(body.asOf).toBe(new Date(asOf).toISOString());
    expect(body.page.limit).toBe(7);
    if (total < 0) total = body.page.total;
    expect(body.page.total).toBe(total);
    sizes.push(body.incidents.length);
    ids.push(...body.incidents.map((v) => v.id));
    if (body.page.next) {
      expect(body.page.nextCursor).toBe(body.incidents.at(-1)!.id);
      expect(body.page.next).toContain(`cursor=${body.page.nextCursor}`);
      expect(res.headers()["link"]).toBe(`<${body.page.next}>; rel="next"`);
    } else {
      expect(body.page.nextCursor).toBeNull();
      expect(res.headers()["link"]).toBeUndefined();
    }
    url = body.page.next;
    expect(sizes.length).toBeLessThan(1000);
  }
  expect(total).toBeGreaterThan(14);
  expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  expect(sizes.at(-1)).toBeGreaterThan(0);
  expect(sizes.at(-1)).toBeLessThanOrEqual(7);
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);
  expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));

  // The default page size, and the same verdicts in one page.
  const whole = await (await request.get(`/api/metrics/quarters?include=incidents&asOf=${encodeURIComponent(asOf)}`)).json();
  expect(whole.page.limit).toBe(1000);
  expect(whole.incidents.map((v: Verdict) => v.id)).toEqual(ids.slice(0, 1000));

  // quarter + counted=true lists exactly the incidents a quarter counts.
  const q = (whole.quarters as Quarter[]).find((x) => x.countedIncidents > 0)!;
  const counted = await (await request.get(`/api/metrics/quarters?include=incidents&counted=true&quarter=${q.quarter}&limit=5000&asOf=${encodeURIComponent(asOf)}`)).json();
  expect(counted.page.total).toBe(q.countedIncidents);
  expect(counted.incidents).toHaveLength(q.countedIncidents);
  expect(counted.incidents.every((v: Verdict) => v.counted)).toBe(true);
});

test("a bad query is a 422 naming the parameter", async ({ request }) => {
  const cases: [string, string][] = [
    ["include=incidents&cursor=abc", "cursor"],
    ["include=incidents&cursor=0", "cursor"],
    ["include=incidents&limit=0", "limit"],
    ["include=incidents&limit=5001", "limit"],
    ["include=everything", "include"],
    ["limit=10", "limit"],
    ["include=incidents&counted=maybe", "counted"],
    ["include=incidents&quarter=FY1999-Q1", "quarter"],
    ["from=2024Q1", "from"],
  ];
  for (const [query, field] of cases) {
    const res = await request.get(`/api/metrics/quarters?${query}`);
    expect(res.status(), query).toBe(422);
    const body = await res.json();
    expect(body.error, query).toBe("validation_failed");
    expect(
      body.issues.map((i: { field: string }) => i.field),
      query,
    ).toContain(field);
  }
});

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; encoding?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

test("the answer is gzip-encoded when the client accepts it, plain when it does not", async ({ baseURL }) => {
  const name = uniqueName("metrics-gzip");
  const token = createTokenViaCli(mainDbUrl(), name, "viewer");
  try {
    const auth = { authorization: `Bearer ${token}` };
    for (const path of ["/api/metrics/quarters", "/api/metrics/quarters?include=incidents&limit=500"]) {
      const gz = await rawGet(`${baseURL}${path}`, { ...auth, "accept-encoding": "gzip" });
      expect(gz.status).toBe(200);
      expect(gz.encoding, path).toBe("gzip");
      const text = zlib.gunzipSync(gz.body).toString("utf8");
      expect(JSON.parse(text).quarters.length).toBeGreaterThan(4);
      expect(gz.body.length).toBeLessThan(text.length);
      // A browser's list: Next offers gzip (not br).
      expect((await rawGet(`${baseURL}${path}`, { ...auth, "accept-encoding": "br, gzip, deflate" })).encoding).toBe("gzip");
      const plain = await rawGet(`${baseURL}${path}`, { ...auth, "accept-encoding": "identity" });
      expect(plain.encoding).toBeUndefined();
      expect(JSON.parse(plain.body.toString("utf8")).quarters.length).toBeGreaterThan(4);
    }
  } finally {
    revokeTokenViaCli(mainDbUrl(), name);
  }
});
