import type { Db } from "@/db/client";
import { loadDemoData, removeDemoData } from "@/db/queries/demo";
import { DEMO_SETTINGS, generateDemoData } from "./generate";

/** Generates the demo program as of `asOf` and loads it. */
export function seedDemoData(db: Db, asOf: number = Date.now()) {
  return loadDemoData(db, generateDemoData(asOf), asOf);
}

export function unseedDemoData(db: Db, actor?: { id?: string | null; label: string }) {
  return removeDemoData(db, { demoSettings: DEMO_SETTINGS, actor });
}
