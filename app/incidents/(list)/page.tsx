import type { Metadata } from "next";
import Link from "next/link";
import { ExportButton } from "@/app/_components/export-button";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { incidentFilterChoices, listIncidents } from "@/db/queries/incidents";
import { triageQueue } from "@/server/triage";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { FILTER_KEYS, incidentListQuerySchema, searchParamsObject, toSearchParams, type IncidentListQuery } from "@/lib/validation/incident-list";
import { FilterBar } from "../_components/filter-bar";
import { IncidentTable } from "../_components/incident-table";
import { MarkFiltered } from "../_components/mark-filtered";
import { Pagination } from "../_components/pagination";
import styles from "../incidents.module.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageRole("viewer");
  const raw = searchParamsObject(await searchParams);
  const parsed = incidentListQuerySchema.safeParse(raw);
  // A bad parameter in a shared link: say which, and show the list without it.
  const badFields = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
  const query: IncidentListQuery = parsed.success
    ? parsed.data
    : incidentListQuerySchema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !badFields.includes(k))));
  const db = getDb();
  const result = listIncidents(db, query);
  const choices = incidentFilterChoices(db);
  const settings = getSettings(db);
  const queue = triageQueue(db, { limit: 0 });
  const filtered = FILTER_KEYS.some((k) => query[k] !== undefined);
  const withoutIds = toSearchParams({ ...query, ids: undefined, page: 1 }).toString();
  const exportParams = toSearchParams({ ...query, page: 1 });
  exportParams.delete("page");
  exportParams.delete("pageSize");

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Incidents</h1>
          <p className="muted">
            {result.total.toLocaleString("en-US")} {filtered ? "matching" : "in total"}
            {queue.total > 0 ? (
              <>
                {" · "}
                <Link href="/incidents?trigger=unknown">{queue.total.toLocaleString("en-US")} untriaged</Link>
                {queue.candidates > 0 ? `, ${queue.candidates.toLocaleString("en-US")} of which would count if change-triggered` : ""}
              </>
            ) : null}
          </p>
        </div>
        <div className="row">
          {queue.total > 0 ? (
            <Link className="button button--primary" href="/incidents/triage">
              Triage queue ({queue.total.toLocaleString("en-US")})
            </Link>
          ) : null}
          <ExportButton href="/api/export/incidents" params={exportParams} what={filtered ? "the matching incidents" : "every incident"} />
        </div>
      </div>

      {badFields.length ? (
        <div className="alert alert--warning" role="alert">
          Ignored {badFields.length === 1 ? "a filter" : "some filters"} in the link that could not be read:{" "}
          {parsed.success ? null : parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; ")}.
        </div>
      ) : null}

      <FilterBar query={query} choices={choices} />

      {query.ids ? (
        <div className="alert alert--info" role="note">
          Showing the {query.ids.length === 1 ? "incident" : `${query.ids.length} incidents`} picked by id (from a bulk edit).{" "}
          <Link href={withoutIds ? `/incidents?${withoutIds}` : "/incidents"}>Show without the id filter</Link>
        </div>
      ) : null}

      {can(actor.role, "tag") && result.total > 0 ? <MarkFiltered search={toSearchParams({ ...query, page: 1 }).toString()} total={result.total} filtered={filtered} /> : null}

      <div className="card">
        {/* Always mounted, even with no rows: a bulk edit that empties the list still says what it did. */}
        <IncidentTable
          items={result.items}
          query={query}
          timezone={settings.timezone}
          canTag={can(actor.role, "tag")}
          canReview={can(actor.role, "closeQuarter")}
          projects={choices.projects}
          deploySystems={choices.deploySystems}
          changeTypes={choices.changeTypes}
          empty={
            <div className="empty-state">
              {filtered ? (
                <>
                  <h2>No incidents match these filters</h2>
                  <p>Loosen a filter or search for something else.</p>
                  <div className="row">
                    <Link className="button" href="/incidents">
                      Clear all filters
                    </Link>
                  </div>
                </>
              ) : (
                <>
                  <h2>No incidents yet</h2>
                  <p>Import incidents from your incident tool to start measuring.</p>
                  {can(actor.role, "import") ? (
                    <div className="row">
                      <Link className="button button--primary" href="/import">
                        Import incidents
                      </Link>
                    </div>
                  ) : null}
                </>
              )}
            </div>
          }
        />
        {result.total > 0 ? <Pagination query={query} page={result.page} pages={result.pages} total={result.total} /> : null}
      </div>
      <p className={`muted small ${styles.footnote}`}>
        Times in {settings.timezone}. “Counts” is the current policy’s verdict; hours are the whole impact window.
      </p>
    </div>
  );
}
