"use client";

/**
 * A card section holding a chart and a table of the same numbers, with a Chart/Table
 * switch (every chart has a table view). Both are passed in already rendered, so a
 * server component can build the table with links.
 */
import { useState, type ReactNode } from "react";
import styles from "./charts.module.css";

export interface ChartFrameProps {
  /** Heading text (h2). */
  title: string;
  /** Stable id for the heading (aria-labelledby) and tests. */
  id: string;
  /** A line under the heading. */
  description?: ReactNode;
  /** Controls shown beside the switch (dimension pickers…). */
  actions?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  /** Shown under either view (notes, legends). */
  footer?: ReactNode;
  defaultView?: "chart" | "table";
}

export function ChartFrame({ title, id, description, actions, chart, table, footer, defaultView = "chart" }: ChartFrameProps) {
  const [view, setView] = useState<"chart" | "table">(defaultView);
  return (
    <section className={`card ${styles.frame}`} aria-labelledby={`${id}-title`} data-testid={id}>
      <div className="card__header">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          {description ? <p className="muted small" style={{ margin: 0 }}>{description}</p> : null}
        </div>
        <div className="row">
          {actions}
          <div className={styles.toggle} role="group" aria-label={`${title}: view as`}>
            <button type="button" aria-pressed={view === "chart"} onClick={() => setView("chart")}>
              Chart
            </button>
            <button type="button" aria-pressed={view === "table"} onClick={() => setView("table")}>
              Table
            </button>
          </div>
        </div>
      </div>
      {view === "chart" ? chart : <div className="table-wrap">{table}</div>}
      {footer}
    </section>
  );
}
