import Link from "next/link";
import { PAGE_SIZES, toSearchParams, type IncidentListQuery } from "@/lib/validation/incident-list";

function href(query: IncidentListQuery, patch: Partial<IncidentListQuery>): string {
  const s = toSearchParams({ ...query, ...patch }).toString();
  return s ? `/incidents?${s}` : "/incidents";
}

export function Pagination({ query, page, pages, total }: { query: IncidentListQuery; page: number; pages: number; total: number }) {
  const first = (page - 1) * query.pageSize + 1;
  const last = Math.min(total, page * query.pageSize);
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted small">
        {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {total.toLocaleString("en-US")}
      </span>
      <span className="muted small">Per page:</span>
      {PAGE_SIZES.map((n) =>
        n === query.pageSize ? (
          <strong key={n} className="small" aria-current="true">
            {n}
          </strong>
        ) : (
          <Link key={n} className="small" href={href(query, { pageSize: n, page: 1 })}>
            {n}
          </Link>
        ),
      )}
      {page > 1 ? (
        <Link className="button button--small" href={href(query, { page: page - 1 })} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span className="button button--small" aria-disabled="true">
          ← Previous
        </span>
      )}
      <span className="small">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link className="button button--small" href={href(query, { page: page + 1 })} rel="next">
          Next →
        </Link>
      ) : (
        <span className="button button--small" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}
