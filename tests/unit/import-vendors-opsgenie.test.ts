import { describe, expect, test } from "vitest";
import { parseImport } from "@/lib/import/parse";
import { IMPORT_NOTE } from "@/lib/import/sources/pagerduty";
import { importFixture, ms, vendorJson, type Doc } from "./import-vendors-support";

describe("Opsgenie incidents API ({\"data\": [...]})", () => {
  const doc = vendorJson("opsgenie-incidents.json");

  test("unwrapped, detected; every field a user checks equals the source", async () => {
    const { format, incidents } = await importFixture("opsgenie-incidents.json");
    expect(format).toBe("opsgenie");
    expect(incidents).toHaveLength(doc.data.length);
    doc.data.forEach((src: Doc, i: number) => {
      const inc = incidents[i];
      expect(inc.source).toBe("opsgenie");
      expect(inc.sourceId).toBe(src.id);
      expect(inc.title).toBe(src.message);
      expect(inc.severity).toBe(src.priority);
      expect(inc.status).toBe(src.status);
      expect(inc.startedAt).toBe(ms(src.createdAt));
      expect(inc.sourceServices).toEqual(src.impactedServices);
      expect(inc.customFields.tinyId).toBe(src.tinyId);
      expect(inc.customFields.ownerTeam).toBe(src.ownerTeam);
    });
  });

  test("the impact window is the tool's own; it also ends the incident", async () => {
    const src = doc.data[0];
    const { incidents } = await importFixture("opsgenie-incidents.json");
    expect(incidents[0].curated.impactStart).toBe(ms(src.impactStartDate));
    expect(incidents[0].curated.impactEnd).toBe(ms(src.impactEndDate));
    expect(incidents[0].resolvedAt).toBe(ms(src.impactEndDate));
    expect(incidents[0].customFields.change).toBe(src.extraProperties.change);
  });

  test("closed without an impact end: resolved at its last update, and it says so; open stays open", async () => {
    const { incidents } = await importFixture("opsgenie-incidents.json");
    expect(doc.data[1].status).toBe("closed");
    expect(incidents[1].resolvedAt).toBe(ms(doc.data[1].updatedAt));
    expect(incidents[1].customFields[IMPORT_NOTE]).toMatch(/updatedAt/);
    expect(doc.data[2].status).toBe("open");
    expect(incidents[2].resolvedAt).toBeNull();
  });

  test("a single incident response ({\"data\": {...}}) is a list of one", async () => {
    const r = await parseImport(Buffer.from(JSON.stringify({ data: doc.data[0], took: 0.01, requestId: "x" })));
    expect(r.format).toBe("opsgenie");
    expect(r.rows.map((x) => x.incident.sourceId)).toEqual([doc.data[0].id]);
  });

  test("an array holding one object is that object, never unwrapped as an envelope", async () => {
    const canonical = [{ id: "c-1", title: "t", severity: "SEV2", started_at: "2024-05-01T00:00:00Z", data: ["x", "y"] }];
    const r = await parseImport(Buffer.from(JSON.stringify(canonical)));
    expect(r.format).toBe("canonical");
    expect(r.rows.map((x) => x.incident.sourceId)).toEqual(["c-1"]);
  });

  test("Opsgenie is not read from CSV: forcing it names the problem", async () => {
    await expect(parseImport(Buffer.from("id,message\n1,x\n"), { format: "opsgenie" })).rejects.toThrow(/opsgenie format is not read from CSV/);
  });
});
