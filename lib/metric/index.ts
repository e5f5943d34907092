/** The metric engine's public surface. Pure: plain data in, plain data out, `asOf` explicit. */
export * from "./types";
export * from "./calendar";
export * from "./classify";
export { effectiveWindow, HOUR_MS } from "./intervals";
export { evaluate, toIso } from "./evaluate";
export * from "./case";
export * from "./analysis-types";
export { analyze, hoursAtMinDuration, BLIP_THRESHOLDS_MINUTES } from "./analyze";
export { AUTOMATIC_REMEDIATION_LIMIT_MIN, MANUAL_REMEDIATION_LIMIT_MIN, EARLY_DETECTION_FLEET_PCT } from "./breakdowns";
export * from "./what-if";
export * from "./restatement";
