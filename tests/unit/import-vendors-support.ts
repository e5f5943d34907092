import fs from "node:fs";
import path from "node:path";
import { parseImport, type ParseOptions } from "@/lib/import/parse";
import type { IncidentInput } from "@/lib/validation/incident";

export const vendorFixturePath = (name: string) => path.join(__dirname, "../fixtures/import/vendors", name);
export const vendorFixture = (name: string) => fs.readFileSync(vendorFixturePath(name));
/** A vendor document, read as the vendor writes it (the tests compare against its own fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shapes are the vendors', not ours
export type Doc = any;
export const vendorJson = (name: string): Doc => JSON.parse(fs.readFileSync(vendorFixturePath(name), "utf8"));

/** Every row of a fixture, valid, in file order; fails the test on any row error. */
export async function importFixture(name: string, opts: ParseOptions = {}): Promise<{ format: string; incidents: IncidentInput[] }> {
  const r = await parseImport(vendorFixture(name), opts);
  if (r.errors.length) throw new Error(`row errors: ${JSON.stringify(r.errors)}`);
  return { format: r.format, incidents: r.rows.map((x) => x.incident) };
}

export const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
