import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { doraCaseFileSchema } from "@/lib/validation/dora";
import { caseFileSchema } from "@/lib/validation/metric";

const read = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join("tests/fixtures", dir, name), "utf8"));

test("a case file naming an incident id twice is refused at the second one, by id", () => {
  const file = read("cases", "basic-calendar-quarters.json");
  expect(caseFileSchema.safeParse(file).success).toBe(true);
  const twice = { ...file, incidents: [...file.incidents, file.incidents[0]] };
  const res = caseFileSchema.safeParse(twice);
  expect(res.success).toBe(false);
  expect(res.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([[`incidents.${file.incidents.length}.id`, `duplicate incident id "${file.incidents[0].id}"`]]);
});

test("a DORA case file naming a deploy id twice is refused at the second one, by id", () => {
  const file = read("dora-cases", "counted-once.json");
  expect(doraCaseFileSchema.safeParse(file).success).toBe(true);
  const twice = { ...file, deploys: [...file.deploys, file.deploys[0]] };
  const res = doraCaseFileSchema.safeParse(twice);
  expect(res.success).toBe(false);
  expect(res.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([[`deploys.${file.deploys.length}.id`, `duplicate deploy id "${file.deploys[0].id}"`]]);
});
