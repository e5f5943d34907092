import { describe, expect, test } from "vitest";
import { importFixture, ms, vendorJson, type Doc } from "./import-vendors-support";

const timestamp = (src: Doc, name: string): string | null =>
  src.incident_timestamp_values.find((t: Doc) => t.incident_timestamp.name === name)?.value?.value ?? null;
const customField = (src: Doc, name: string): string[] =>
  (src.custom_field_entries.find((e: Doc) => e.custom_field.name === name)?.values ?? []).map(
    (v: Doc) => v.value_option?.value ?? v.value_catalog_entry?.name ?? v.value_text,
  );

describe("incident.io API v2 incidents ({\"incidents\": [...]})", () => {
  const doc = vendorJson("incidentio-api-incidents.json");

  test("detected; every field a user checks equals the source, nested values read by path", async () => {
    const { format, incidents } = await importFixture("incidentio-api-incidents.json");
    expect(format).toBe("incidentio");
    expect(incidents).toHaveLength(doc.incidents.length);
    doc.incidents.forEach((src: Doc, i: number) => {
      const inc = incidents[i];
      expect(inc.source).toBe("incident.io");
      expect(inc.sourceId).toBe(src.id);
      expect(inc.title).toBe(src.name);
      expect(inc.description).toBe(src.summary);
      expect(inc.severity).toBe(src.severity.name);
      expect(inc.status).toBe(src.incident_status.category);
      expect(inc.startedAt).toBe(ms(timestamp(src, "Reported at")));
      expect(inc.resolvedAt).toBe(ms(timestamp(src, "Resolved at")));
      expect(inc.url).toBe(src.permalink);
      expect(inc.sourceServices).toEqual(customField(src, "Affected services"));
      expect(inc.customFields.reference).toBe(src.reference);
    });
  });

  test("the tool's own timestamps give the impact window, detection and mitigation", async () => {
    const src = doc.incidents[0];
    const { incidents } = await importFixture("incidentio-api-incidents.json");
    expect(incidents[0].curated.impactStart).toBe(ms(timestamp(src, "Impact started at")));
    expect(incidents[0].curated.detectedAt).toBe(ms(timestamp(src, "Identified at")));
    expect(incidents[0].curated.mitigatedAt).toBe(ms(timestamp(src, "Fixed at")));
    // An incident still live has none of them.
    expect(incidents[1].resolvedAt).toBeNull();
    expect(incidents[1].curated.impactStart ?? null).toBeNull();
  });

  test("custom field entries other than services, and unmapped timestamps, are kept as custom fields by name", async () => {
    const src = doc.incidents[0];
    const { incidents } = await importFixture("incidentio-api-incidents.json");
    expect(incidents[0].customFields["Affected teams"]).toBe(customField(src, "Affected teams").join("; "));
    expect(incidents[0].customFields["Root cause"]).toBe(customField(src, "Root cause")[0]);
    expect(incidents[0].customFields["Closed at"]).toBe(timestamp(src, "Closed at"));
    expect(incidents[0].customFields["Incident Lead"]).toBe(src.incident_role_assignments[0].assignee.name);
    for (const v of Object.values(incidents[0].customFields)) expect(v.startsWith("{") || v.startsWith("[")).toBe(false);
  });

  test("an Impact ended timestamp, where an organisation adds one, ends the impact window", async () => {
    const src = structuredClone(doc.incidents[0]);
    src.incident_timestamp_values.push({ incident_timestamp: { id: "01X", name: "Impact ended at", rank: 13 }, value: { value: "2024-05-11T16:01:00Z" } });
    const { parseImport } = await import("@/lib/import/parse");
    const r = await parseImport(Buffer.from(JSON.stringify({ incidents: [src] })));
    expect(r.errors).toEqual([]);
    expect(r.rows[0].incident.curated.impactEnd).toBe(Date.parse("2024-05-11T16:01:00Z"));
  });
});

describe("incident.io CSV export", () => {
  test("detected as incident.io; fields equal the row", async () => {
    const { parseImport } = await import("@/lib/import/parse");
    const fs = await import("node:fs");
    const path = await import("node:path");
    const r = await parseImport(fs.readFileSync(path.join(__dirname, "../fixtures/import/incidentio-incidents.csv")));
    expect(r.format).toBe("incidentio");
    expect(r.errors).toEqual([]);
    expect(r.rows[0].incident).toMatchObject({
      sourceId: "01HXA7Q9R3K2M5N8P0S4T6V8W1",
      title: "Payments failing for EU cards",
      severity: "Major",
      startedAt: Date.parse("2024-05-11T15:30:12.418Z"),
      resolvedAt: Date.parse("2024-05-11T16:10:00.000Z"),
      sourceServices: ["payment-router", "checkout-api"],
      url: "https://app.incident.io/acme/incidents/311",
    });
    expect(r.rows[0].incident.curated.impactStart).toBe(Date.parse("2024-05-11T15:24:00.000Z"));
  });
});
