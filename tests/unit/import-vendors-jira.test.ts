import { describe, expect, test } from "vitest";
import { parseImport } from "@/lib/import/parse";
import { readCsvObjects } from "@/lib/import/upload";
import { parseInstant } from "@/lib/import/time";
import { importFixture, ms, vendorFixture, vendorJson, type Doc } from "./import-vendors-support";

const TZ = "America/Los_Angeles";
const JIRA_DATE = ["d/MMM/yy h:mm a"];
const local = (s: string) => {
  const r = parseInstant(s, { timezone: TZ, formats: JIRA_DATE });
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe("Jira Cloud CSV (current headers, repeated columns)", () => {
  test("every field a user checks equals the row; repeated Components are all services", async () => {
    const { format, incidents } = await importFixture("jira-cloud-issues.csv", { timezone: TZ });
    expect(format).toBe("jira");
    const text = vendorFixture("jira-cloud-issues.csv").toString("utf8");
    const header = text.split("\n")[0].split(",");
    expect(header.filter((h) => h === "Components")).toHaveLength(2);
    const rows = readCsvObjects(text); // (a repeated header keeps its last cell here; the first is checked by hand)
    rows.forEach((row, i) => {
      const inc = incidents[i];
      expect(inc.sourceId).toBe(row["Issue key"]);
      expect(inc.title).toBe(row.Summary);
      expect(inc.severity).toBe(row["Custom field (Severity)"] || row.Priority);
      expect(inc.status).toBe(row.Status);
      expect(inc.startedAt).toBe(local(row.Created));
      expect(inc.resolvedAt).toBe(row.Resolved ? local(row.Resolved) : null);
      expect(inc.description).toBe(row.Description);
    });
    expect(incidents[0].sourceServices).toEqual(["checkout-api", "payment-router"]);
    expect(incidents[1].sourceServices).toEqual(["auth-gateway"]);
    expect(incidents[0].curated.impactStart).toBe(local("11/May/24 3:20 PM"));
    expect(incidents[0].curated.impactEnd).toBe(local("11/May/24 4:00 PM"));
    expect(incidents[0].customFields.Labels).toBe("postmortem; customer-facing");
  });

  test("Custom field (Start date), a planning date, does not win over Created", async () => {
    const { incidents } = await importFixture("jira-cloud-issues.csv", { timezone: TZ });
    expect(incidents[0].startedAt).toBe(local("11/May/24 3:26 PM"));
    expect(incidents[0].customFields["Custom field (Start date)"]).toBe("01/May/24 12:00 AM");
  });

  test("a localised (Spanish) export is refused with an error that names the problem; nothing is read", async () => {
    await expect(parseImport(vendorFixture("jira-cloud-issues-es.csv"), { timezone: TZ })).rejects.toThrow(/another language \("Resumen"/);
    await expect(parseImport(vendorFixture("jira-cloud-issues-es.csv"), { timezone: TZ, format: "jira" })).rejects.toThrow(/English/);
  });

  test("a CSV of one's own with a Spanish summary column but no Jira issue keys is not taken for Jira", async () => {
    const own = "Resumen,Inicio,Severidad\nCaída del checkout,2024-05-11T15:26:00Z,SEV-1\n";
    const r = await parseImport(Buffer.from(own));
    expect(r).toMatchObject({ format: "generic", needsMapping: true });
  });

  test("the same file mapped by hand as Other CSV goes ahead (the user chose its columns)", async () => {
    const r = await parseImport(vendorFixture("jira-cloud-issues-es.csv"), { format: "generic" });
    expect(r.needsMapping).toBe(true);
  });
});

describe("Jira REST search JSON ({\"issues\": [...]})", () => {
  const doc = vendorJson("jira-search-issues.json");

  test("detected; every field a user checks equals the source's fields.*", async () => {
    const { format, incidents } = await importFixture("jira-search-issues.json");
    expect(format).toBe("jira");
    doc.issues.forEach((src: Doc, i: number) => {
      const inc = incidents[i];
      const f = src.fields;
      expect(inc.source).toBe("jira");
      expect(inc.sourceId).toBe(src.key);
      expect(inc.title).toBe(f.summary);
      // The field named Severity (through `names`) wins over the priority, as in the CSV.
      expect(doc.names.customfield_10042).toBe("Severity");
      expect(inc.severity).toBe(f.customfield_10042.value);
      expect(inc.customFields.Priority).toBe(f.priority.name);
      expect(inc.status).toBe(f.status.name);
      expect(inc.startedAt).toBe(ms(f.created));
      expect(inc.resolvedAt).toBe(ms(f.resolutiondate));
      expect(inc.sourceServices).toEqual(f.components.map((c: Doc) => c.name));
      expect(inc.url).toBe(`https://acme.atlassian.net/browse/${src.key}`);
      expect(inc.curated.impactStart ?? null).toBe(ms(f.customfield_10060));
      expect(inc.curated.impactEnd ?? null).toBe(ms(f.customfield_10061));
    });
  });

  test("the description (Atlassian Document Format) is read as text; Start date stays a custom field", async () => {
    const { incidents } = await importFixture("jira-search-issues.json");
    expect(incidents[0].description).toBe("Release 2024.05.2 introduced a null dereference in the cart serializer.\nRolled back at 16:00.");
    expect(incidents[0].startedAt).toBe(ms(doc.issues[0].fields.created));
    expect(incidents[0].customFields["Custom field (Start date)"]).toBe("2024-05-01");
  });

  test("without names (no expand=names) custom fields keep their ids and the priority is the severity", async () => {
    const r = await parseImport(Buffer.from(JSON.stringify({ ...doc, names: undefined })));
    expect(r.errors).toEqual([]);
    expect(r.rows[0].incident.severity).toBe(doc.issues[0].fields.priority.name);
    expect(r.rows[0].incident.customFields["Custom field (customfield_10042)"]).toBe("Sev 1");
  });
});
