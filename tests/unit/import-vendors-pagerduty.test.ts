import { describe, expect, test } from "vitest";
import { parseImport } from "@/lib/import/parse";
import { IMPORT_NOTE } from "@/lib/import/sources/pagerduty";
import { importFixture, ms, vendorJson, type Doc } from "./import-vendors-support";

describe("PagerDuty REST API v2 incidents ({\"incidents\": [...]})", () => {
  const doc = vendorJson("pagerduty-rest-incidents.json");

  test("detected; every field a user checks equals the source", async () => {
    const { format, incidents } = await importFixture("pagerduty-rest-incidents.json");
    expect(format).toBe("pagerduty");
    expect(incidents).toHaveLength(doc.incidents.length);
    doc.incidents.forEach((src: Doc, i: number) => {
      const inc = incidents[i];
      expect(inc.source).toBe("pagerduty");
      expect(inc.sourceId).toBe(src.id);
      expect(inc.title).toBe(src.title);
      // The priority's name when the account uses priorities, otherwise the urgency.
      expect(inc.severity).toBe(src.priority?.summary ?? src.urgency);
      expect(inc.status).toBe(src.status);
      expect(inc.startedAt).toBe(ms(src.created_at));
      expect(inc.sourceServices).toEqual([src.service.summary]);
      expect(inc.url).toBe(src.html_url);
      expect(inc.customFields["teams.summary"] ?? "").toBe(src.teams.map((t: { summary: string }) => t.summary).join("; "));
      expect(inc.customFields.incident_number).toBe(String(src.incident_number));
    });
  });

  test("resolved with resolved_at: that time; still triggered: open", async () => {
    const { incidents } = await importFixture("pagerduty-rest-incidents.json");
    expect(incidents[0].resolvedAt).toBe(ms(doc.incidents[0].resolved_at));
    expect(incidents[0].customFields[IMPORT_NOTE]).toBeUndefined();
    expect(doc.incidents[2].status).toBe("triggered");
    expect(incidents[2].resolvedAt).toBeNull();
  });

  test("resolved WITHOUT resolved_at is not imported as open: last_status_change_at, and it says so", async () => {
    const src = doc.incidents[1];
    expect(src.status).toBe("resolved");
    expect(src.resolved_at).toBeUndefined();
    const { incidents } = await importFixture("pagerduty-rest-incidents.json");
    expect(incidents[1].resolvedAt).toBe(ms(src.last_status_change_at));
    expect(incidents[1].customFields[IMPORT_NOTE]).toMatch(/last_status_change_at/);
  });

  test("nested references are not stored as JSON text; API plumbing (self, nested ids) is left out", async () => {
    const { incidents } = await importFixture("pagerduty-rest-incidents.json");
    for (const inc of incidents) {
      expect(inc.severity.length).toBeLessThanOrEqual(50);
      for (const [k, v] of Object.entries(inc.customFields)) {
        expect(v.startsWith("{")).toBe(false);
        expect(k).not.toMatch(/(^|\.)(self|id)$|\.type$|\.html_url$/);
      }
    }
    expect(incidents[0].customFields["escalation_policy.summary"]).toBe("Payments On-Call");
  });

  test("one incident (GET /incidents/{id} → {\"incident\": {...}}) is a list of one", async () => {
    const r = await parseImport(Buffer.from(JSON.stringify({ incident: doc.incidents[0] })));
    expect(r.format).toBe("pagerduty");
    expect(r.rows.map((x) => [x.incident.sourceId, x.incident.severity])).toEqual([[doc.incidents[0].id, "P1"]]);
  });

  test("an empty incidents list is refused", async () => {
    await expect(parseImport(Buffer.from(JSON.stringify({ incidents: [], limit: 25 })))).rejects.toThrow(/no incidents/);
  });
});

describe("PagerDuty Analytics raw incidents ({\"data\": [...], \"time_zone\"})", () => {
  const doc = vendorJson("pagerduty-analytics-incidents.json");

  test("unwrapped, detected, times read in the envelope's time_zone", async () => {
    const { format, incidents } = await importFixture("pagerduty-analytics-incidents.json");
    expect(format).toBe("pagerduty");
    expect(doc.time_zone).toBe("America/New_York");
    expect(incidents).toHaveLength(doc.data.length);
    // 10:05 in New York (EDT, UTC-4) is 14:05 UTC.
    expect(incidents[0].startedAt).toBe(Date.parse("2024-05-31T14:05:00Z"));
    expect(incidents[0].resolvedAt).toBe(Date.parse("2024-05-31T14:41:00Z"));
    doc.data.forEach((src: Doc, i: number) => {
      const inc = incidents[i];
      expect(inc.sourceId).toBe(src.id);
      expect(inc.title).toBe(src.description);
      expect(inc.severity).toBe(src.priority_name ?? src.urgency);
      expect(inc.sourceServices).toEqual([src.service_name]);
      expect(inc.status).toBe(src.status);
      expect(inc.customFields.team_name ?? null).toBe(src.team_name);
    });
  });

  test("the file's time zone wins over none given; a bogus one is refused, naming it", async () => {
    const bad = { ...doc, time_zone: "Mars/Olympus" };
    await expect(parseImport(Buffer.from(JSON.stringify(bad)))).rejects.toThrow(/Mars\/Olympus/);
  });

  test("without the envelope the same objects have no zone: their times are refused, not guessed", async () => {
    const r = await parseImport(Buffer.from(JSON.stringify(doc.data)));
    expect(r.rows).toHaveLength(0);
    expect(r.errors[0]).toMatchObject({ column: "created_at" });
  });
});
