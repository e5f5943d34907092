// Moved to server/metrics.ts (it runs the engine). Kept only for db/queries/dashboard.ts and
// db/queries/metrics-snapshot.ts, which move to server/ next; delete this file with them.
export * from "@/server/metrics";
