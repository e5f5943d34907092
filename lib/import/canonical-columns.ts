/**
 * The canonical import format's columns (IMPORT.md), derived from the incident's field
 * lists (lib/incidents/fields.ts) rather than spelled out again: each field's name in
 * snake_case, so a new curated field is a new import column, and the row reader's table
 * (`Record<CanonicalColumn, Column>` in row-reader.ts) fails to compile until it says how
 * to read it.
 */
import { CURATED_FIELDS, SOURCE_FIELDS, STORED_CURATED_FIELDS } from "@/lib/incidents/fields";

/** `startedAt` → `started_at`, at the type level too. */
type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}` ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}` : S;

function snake<S extends string>(s: S): SnakeCase<S> {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as SnakeCase<S>;
}

/** Source fields with no column of their own: the services list is one column with the curated one; custom fields are every other column. */
type NotAColumn = "sourceServices" | "customFields";
/** Curated fields an import does not set: a deploy link is made in the app. */
type NotImported = "linkedDeployId";

type SourceColumn = SnakeCase<Exclude<(typeof SOURCE_FIELDS)[number], NotAColumn>>;
type CuratedColumn = SnakeCase<Exclude<(typeof CURATED_FIELDS)[number], NotImported>>;

const NOT_A_COLUMN = new Set<string>(["sourceServices", "customFields", "linkedDeployId"]);

/**
 * `id` (the source's id) and `source` first, then the source fields in their list order,
 * then the curated ones (stored, then attribution). Services appear once.
 */
export const CANONICAL_COLUMNS = [
  "id",
  "source",
  ...new Set([...SOURCE_FIELDS, ...STORED_CURATED_FIELDS, ...CURATED_FIELDS].filter((f) => !NOT_A_COLUMN.has(f)).map(snake)),
] as unknown as readonly ["id", "source", ...(SourceColumn | CuratedColumn)[]];

export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];
