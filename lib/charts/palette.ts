/**
 * Chart colours: the Okabe–Ito palette (the same as --c1..--c8 in globals.css), as hex
 * because SVG presentation attributes cannot read CSS variables. Readers with the
 * common colour-vision deficiencies can tell these apart; status is never carried by
 * colour alone (patterns, outlines and labels carry it too).
 */
export const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"] as const;

/** Colour for "everything else" in stacked breakdowns. */
export const OTHER_COLOUR = "#9aa3ad";

export const CHART_COLOURS = {
  final: PALETTE[0],
  provisional: PALETTE[0],
  inProgress: PALETTE[4],
  upperBound: PALETTE[1],
  target: PALETTE[7],
  budget: PALETTE[7],
  forecast: PALETTE[5],
  lag: PALETTE[2],
  delivery: PALETTE[2],
  curtailed: PALETTE[3],
  grid: "#d9dde3",
  axis: "#5a6472",
} as const;

/** The i-th series colour, wrapping round the palette (black last, so it is rarely used). */
export function seriesColour(i: number): string {
  return PALETTE[i % (PALETTE.length - 1)];
}
