import Link from "next/link";
import styles from "./dashboard.module.css";

/**
 * Service and deploy-system filters as a plain GET form: the URL holds the state, it
 * works without JavaScript, and the browser's back button undoes a change. `keep` (the
 * period, the breakdown and ranking choices) rides along through Apply and Clear.
 */
export function DashboardFilters({
  services,
  deploySystems,
  selected,
  keep,
}: {
  services: string[];
  deploySystems: string[];
  selected: { services: string[]; deploySystems: string[] };
  keep: Record<string, string>;
}) {
  const active = selected.services.length + selected.deploySystems.length > 0;
  return (
    <form method="get" action="/" className={styles.filters} aria-label="Filter the dashboard" data-testid="dashboard-filters">
      {Object.entries(keep).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="field">
        <label htmlFor="f-service">Service</label>
        <select id="f-service" name="service" defaultValue={selected.services[0] ?? ""}>
          <option value="">All services</option>
          {services.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-deploy">Deploy system</label>
        <select id="f-deploy" name="deploySystem" defaultValue={selected.deploySystems[0] ?? ""}>
          <option value="">All deploy systems</option>
          {deploySystems.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button">
        Apply filters
      </button>
      {active ? (
        <Link href={Object.keys(keep).length ? `/?${new URLSearchParams(keep)}` : "/"} className="button">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
