import Link from "next/link";
import { formatShare } from "@/lib/format/share";
import { formatHours } from "@/lib/format/hours";
import { DIMENSIONS, type SourceRanking } from "@/lib/projects/portfolio";
import type { ScopeDimension } from "@/lib/projects/scope";
import styles from "../projects.module.css";
import { StatusBadge } from "./labels";

interface Props {
  ranking: SourceRanking;
  dimension: ScopeDimension;
  from: string | null;
  to: string | null;
  error: string | null;
}

/**
 * Sources of impact ranked with cumulative share, beside the projects covering each; gaps
 * highlighted. The period is chosen above the card (PeriodControl); `from`/`to` ride on the
 * dimension links.
 */
export function SourceRankingCard({ ranking, dimension, from, to, error }: Props) {
  const dim = DIMENSIONS.find((d) => d.key === dimension)!;
  const gaps = ranking.rows.filter((r) => r.gap && !r.unknown);
  const href = (d: ScopeDimension) => `/projects?${new URLSearchParams({ dim: d, ...(from ? { from } : {}), ...(to ? { to } : {}) })}`;
  return (
    <section className="card" aria-labelledby="sources-title" data-testid="source-ranking">
      <div className="card__header">
        <div>
          <h2 id="sources-title">Where the impact comes from</h2>
          <p className="muted small" style={{ margin: 0 }}>
            Counted hours by {dim.label.toLowerCase()}, {ranking.quarters.length ? `${ranking.quarters[0]} to ${ranking.quarters.at(-1)}` : "no complete quarter yet"}, largest first, with the projects
            whose scope names each one.
          </p>
        </div>
      </div>
      <nav className="tabs" aria-label="Dimension">
        {DIMENSIONS.map((d) => (
          <Link key={d.key} href={href(d.key)} aria-current={d.key === dimension ? "page" : undefined}>
            {d.label}
          </Link>
        ))}
      </nav>
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      {ranking.rows.length === 0 ? (
        <p className="muted">No counted impact in this period.</p>
      ) : (
        <>
          <p className="small" role="status">
            {gaps.length
              ? `${gaps.length} of ${ranking.rows.filter((r) => !r.unknown).length} ${dim.plural} have no active project covering them (${formatShare(gaps.reduce((s, r) => s + r.share, 0))} of the hours).`
              : `Every ${dim.label.toLowerCase()} with impact is covered by an active project.`}
          </p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{dim.label}</th>
                  <th scope="col" className="num">
                    Hours
                  </th>
                  <th scope="col" className="num">
                    Share
                  </th>
                  <th scope="col">Cumulative share</th>
                  <th scope="col">Covered by</th>
                </tr>
              </thead>
              <tbody>
                {ranking.rows.map((r, i) => (
                  <tr key={r.key} className={r.gap && !r.unknown ? styles.gapRow : undefined} data-gap={r.gap && !r.unknown ? "true" : undefined}>
                    <td className="num">{i + 1}</td>
                    <th scope="row" className={styles.rowHead}>{r.unknown ? <span className="muted">not tagged</span> : r.key}</th>
                    <td className="num">{formatHours(r.hours)}</td>
                    <td className="num">{formatShare(r.share)}</td>
                    <td>
                      <span className={styles.cumulative}>
                        <span className={styles.cumulativeBar} aria-hidden="true">
                          <span style={{ width: `${Math.round(r.cumulativeShare * 100)}%` }} />
                        </span>
                        {formatShare(r.cumulativeShare)}
                      </span>
                    </td>
                    <td>
                      {r.unknown ? (
                        <span className="muted small">Tag these incidents to place them</span>
                      ) : r.covering.length ? (
                        <span className="row">
                          {r.covering.map((c) => (
                            <span key={c.slug} className="nowrap">
                              <Link href={`/projects/${c.slug}`}>{c.name}</Link> <StatusBadge status={c.status} />
                            </span>
                          ))}
                          {r.gap ? <span className="badge badge--danger">Gap: curtailed only</span> : null}
                        </span>
                      ) : (
                        <span className="badge badge--danger">Gap: no project</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
