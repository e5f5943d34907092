/** The metric engine's public surface. Pure: plain data in, plain data out, `asOf` explicit. */
export * from "./types";
export * from "./calendar";
export * from "./classify";
export { effectiveWindow, HOUR_MS } from "./intervals";
export { evaluate, toIso } from "./evaluate";
export * from "./case";
