import Link from "next/link";
import type { IncidentListQuery } from "@/lib/validation/incident-list";
import styles from "../incidents.module.css";

interface Choices {
  severities: string[];
  services: string[];
  deploySystems: string[];
  changeTypes: string[];
  projects: { slug: string; name: string }[];
}

function Select({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: { value: string; label: string }[] }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const plain = (values: string[]) => values.map((v) => ({ value: v, label: v }));

/**
 * The list's filters as a plain GET form: the URL holds the whole state, so a link shares
 * the view and the form works without JavaScript. Sorting and page size ride along.
 */
export function FilterBar({ query, choices }: { query: IncidentListQuery; choices: Choices }) {
  return (
    <form method="get" action="/incidents" className={`card ${styles.filters}`} role="search" aria-label="Filter incidents">
      <div className={styles.filterGrid}>
        <div className={`field ${styles.search}`}>
          <label htmlFor="filter-q">Search title, description, custom fields or id</label>
          <input id="filter-q" type="search" name="q" defaultValue={query.q ?? ""} placeholder="e.g. checkout or PD1234" />
        </div>
        <div className="field">
          <label htmlFor="filter-quarter">Quarter</label>
          <input id="filter-quarter" type="text" name="quarter" defaultValue={query.quarter ?? ""} placeholder="FY2025-Q1" pattern="FY\d{4}-Q[1-4]" title="A quarter such as FY2025-Q1" />
        </div>
        <Select name="severity" label="Severity" value={query.severity} options={plain(choices.severities)} />
        <Select
          name="trigger"
          label="Trigger"
          value={query.trigger}
          options={[
            { value: "change", label: "Change-triggered" },
            { value: "other", label: "Not change-triggered" },
            { value: "unknown", label: "Untriaged" },
          ]}
        />
        <Select name="counted" label="Counts" value={query.counted} options={[{ value: "yes", label: "Counted" }, { value: "no", label: "Not counted" }]} />
        <Select name="service" label="Service" value={query.service} options={plain(choices.services)} />
        <Select name="deploySystem" label="Deploy system" value={query.deploySystem} options={plain(choices.deploySystems)} />
        <Select name="changeType" label="Change type" value={query.changeType} options={plain(choices.changeTypes)} />
        <Select name="project" label="Project" value={query.project} options={choices.projects.map((p) => ({ value: p.slug, label: p.name }))} />
        <Select name="analysisStatus" label="Analysis" value={query.analysisStatus} options={[{ value: "pending", label: "Pending" }, { value: "final", label: "Final" }]} />
        <Select name="reviewed" label="Reviewed" value={query.reviewed} options={[{ value: "yes", label: "Reviewed" }, { value: "no", label: "Not reviewed" }]} />
      </div>
      {query.sort !== "started" ? <input type="hidden" name="sort" value={query.sort} /> : null}
      {query.dir !== "desc" ? <input type="hidden" name="dir" value={query.dir} /> : null}
      {query.pageSize !== 50 ? <input type="hidden" name="pageSize" value={query.pageSize} /> : null}
      {query.ids ? <input type="hidden" name="ids" value={query.ids.join(",")} /> : null}
      <div className="row">
        <button type="submit" className="button button--primary">
          Apply filters
        </button>
        <Link href="/incidents" className="button">
          Clear
        </Link>
      </div>
    </form>
  );
}
