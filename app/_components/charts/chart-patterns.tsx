import { CHART_COLOURS } from "@/lib/charts/palette";

/**
 * SVG patterns the charts reference by id (`url(#ds-hatch-provisional)`). Rendered once
 * per chart in a zero-size svg; ids are document-wide, so duplicates are harmless.
 * Hatching carries status without relying on colour.
 */
export function ChartPatterns() {
  return (
    <svg width="0" height="0" style={{ position: "absolute" }} aria-hidden="true" focusable="false">
      <defs>
        <pattern id="ds-hatch-provisional" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
          <rect width="8" height="8" fill={CHART_COLOURS.provisional} fillOpacity="0.55" />
          <line x1="0" y1="0" x2="0" y2="8" stroke={CHART_COLOURS.provisional} strokeWidth="4" />
        </pattern>
        <pattern id="ds-hatch-progress" patternUnits="userSpaceOnUse" width="6" height="6">
          <rect width="6" height="6" fill="#ffffff" />
          <circle cx="3" cy="3" r="1.6" fill={CHART_COLOURS.inProgress} />
        </pattern>
        <pattern id="ds-hatch-band" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(-45)">
          <rect width="6" height="6" fill="#fff7e6" />
          <line x1="0" y1="0" x2="0" y2="6" stroke={CHART_COLOURS.upperBound} strokeWidth="2" />
        </pattern>
      </defs>
    </svg>
  );
}

/** fill / stroke for a quarter's bar by status. */
export function barStyle(status: string): { fill: string; stroke: string; strokeDasharray?: string } {
  switch (status) {
    case "provisional":
      return { fill: "url(#ds-hatch-provisional)", stroke: CHART_COLOURS.provisional };
    case "in_progress":
      return { fill: "url(#ds-hatch-progress)", stroke: "#1c2430", strokeDasharray: "4 3" };
    default:
      return { fill: CHART_COLOURS.final, stroke: CHART_COLOURS.final };
  }
}

/** A legend swatch drawn with the same fill as the chart. */
export function Swatch({ kind }: { kind: "final" | "provisional" | "in_progress" | "band" | "target" | "lag" | "delivery" | "budget" | "forecast" }) {
  if (kind === "target" || kind === "budget" || kind === "forecast" || kind === "delivery") {
    const stroke = kind === "forecast" ? CHART_COLOURS.forecast : kind === "delivery" ? CHART_COLOURS.delivery : CHART_COLOURS.target;
    return (
      <svg width="22" height="12" aria-hidden="true" style={{ marginRight: 6, verticalAlign: -1 }}>
        <line x1="1" y1="6" x2="21" y2="6" stroke={stroke} strokeWidth={kind === "target" ? 3 : 2} strokeDasharray={kind === "forecast" || kind === "budget" ? "4 3" : undefined} />
      </svg>
    );
  }
  const style =
    kind === "band"
      ? { fill: "url(#ds-hatch-band)", stroke: CHART_COLOURS.upperBound }
      : kind === "lag"
        ? { fill: CHART_COLOURS.lag, stroke: "none", fillOpacity: 0.2 }
        : barStyle(kind);
  return (
    <svg width="14" height="14" aria-hidden="true" style={{ marginRight: 6, verticalAlign: -2 }}>
      <rect x="1" y="1" width="12" height="12" {...style} />
    </svg>
  );
}
