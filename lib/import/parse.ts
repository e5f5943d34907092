/**
 * bytes → detected format → source mapping → canonical row → zod → IncidentInput.
 * Every row is validated; every failure is reported (row, source id, column, reason).
 * Nothing here touches the database: db/queries/imports.ts writes the result.
 */
import { MAX_JSON_DEPTH } from "@/lib/json/bounded";
import { canonicalRowSchema, RowFailure, type CanonicalRow, type CanonicalRowReader } from "@/lib/import/row-reader";
import type { IncidentInput } from "@/lib/validation/incident";
import { forEachCsvRecord } from "./csv";
import { decodeText, DEFAULT_MAX_IMPORT_BYTES, ImportFileError } from "./input";
import { genericMapping, missingRequired, type ImportMapping } from "./sources/generic";
import { detectMapping, mappingFor } from "./sources/index";
import { applyMapping, type SourceMapping, type SourceRecord } from "./sources/mapping";
import { isPlainObject } from "./sources/paths";
import { jiraCsvMapping } from "./sources/jira";
import { ENVELOPE_KEYS, type VendorMapping } from "./sources/vendor";
import { isValidTimeZone } from "./time";
import { looksLikeJson, readJsonList, UploadReadError } from "./upload";
import type { FormatChoice, ImportFormat, ParseResult, ParsedRow, RowError } from "./types";

export interface ParseOptions {
  format?: FormatChoice;
  /** The import's source name; default per format (`statuspage`, `jira`, ...). */
  source?: string | null;
  /** IANA zone for times written without an offset. */
  timezone?: string | null;
  /** Column mapping for generic CSV (from the editor or a preset). */
  mapping?: ImportMapping | null;
  maxBytes?: number;
}

const SAMPLE_ROWS = 2000;
const SAMPLE_VALUES = 20;
const REQUIRED = ["id", "title", "severity", "started_at"] as const;

export async function parseImport(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParseResult> {
  return parseImportText(decodeText(bytes, opts.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES), opts);
}

export async function parseImportText(text: string, opts: ParseOptions = {}): Promise<ParseResult> {
  const timezone = opts.timezone?.trim() || opts.mapping?.timezone || null;
  if (timezone && !isValidTimeZone(timezone)) throw new ImportFileError(`Unknown time zone "${timezone}"; use an IANA name such as Europe/Berlin.`);
  if (looksLikeJson(text)) return parseJson(text, { ...opts, timezone });
  return parseCsv(text, { ...opts, timezone });
}

/**
 * The format and mapping for a file's header (CSV) or keys (JSON): detected, or the
 * variant of the format the user chose that fits these keys.
 */
function resolveMapping(keys: readonly string[], container: "csv" | "json", opts: ParseOptions): { format: ImportFormat; mapping: VendorMapping | null } {
  if (opts.format && opts.format !== "auto") {
    if (opts.format === "generic") return { format: "generic", mapping: opts.mapping ? genericMapping(opts.mapping) : null };
    const mapping = mappingFor(opts.format, container, keys);
    if (!mapping) throw new ImportFileError(`The ${opts.format} format is not read from ${container === "csv" ? "CSV" : "JSON"}; choose "Detect automatically" or another format.`);
    return { format: opts.format, mapping };
  }
  const detected = detectMapping(keys, container);
  if (detected) return { format: detected.format, mapping: detected };
  return { format: "generic", mapping: opts.mapping ? genericMapping(opts.mapping) : null };
}

class RowValidator {
  readonly rows: ParsedRow[] = [];
  readonly errors: RowError[] = [];
  readonly reader: CanonicalRowReader;

  constructor(
    readonly source: string,
    timezone: string | null,
    dateFormats: readonly string[] | undefined,
    columns?: readonly string[],
  ) {
    this.reader = canonicalRowSchema({ source, timezone, dateFormats }, columns);
  }

  add(rowNumber: number, row: CanonicalRow, custom: Record<string, string> | null, columnOf: Partial<Record<string, string>> | null): void {
    const r = this.reader.readRow(row);
    if (!(r instanceof RowFailure) && custom) for (const k in custom) r.customFields[k] = custom[k];
    this.push(rowNumber, r, columnOf);
  }

  push(rowNumber: number, r: IncidentInput | RowFailure, columnOf: Partial<Record<string, string>> | null): void {
    if (!(r instanceof RowFailure)) {
      this.rows.push({ row: rowNumber, incident: r });
      return;
    }
    for (const issue of r.issues) {
      this.errors.push({ row: rowNumber, sourceId: r.sourceId, column: columnOf?.[issue.column] ?? issue.column, reason: issue.message });
    }
  }
}

async function parseCsv(text: string, opts: ParseOptions & { timezone: string | null }): Promise<ParseResult> {
  // Assigned in the record callback (casts keep TypeScript from narrowing them to their initial values).
  let headers = null as string[] | null;
  let format = "canonical" as ImportFormat;
  let mapping = null as VendorMapping | null;
  let validator = null as RowValidator | null;
  let source = "";
  const samples: Record<string, string[]> = {};
  let total = 0;
  let rowNumber = 1;
  let readRecord = null as ((record: readonly string[]) => IncidentInput | RowFailure) | null;
  let refusal = null as ((headers: readonly string[], firstRow: readonly string[]) => string | null) | null;
  let missingHeaders = null as string | null;
  forEachCsvRecord(text, (record) => {
    if (!headers) {
      headers = record.map((h) => h.trim());
      if (!headers.some(Boolean)) throw new ImportFileError("The first line is empty; expected a header row of column names.");
      ({ format, mapping } = resolveMapping(headers, "csv", opts));
      if (format === "generic" && opts.mapping) {
        const missing = missingRequired(opts.mapping);
        if (missing.length) throw new ImportFileError(`Map a column to each required field: ${missing.join(", ")}.`);
      }
      refusal = localisedExportCheck(format, mapping, opts);
      if (mapping && format !== "canonical") {
        // A localised export also lacks the English columns: say that (from the first row) rather than list them.
        missingHeaders = missingHeadersProblem(mapping, headers);
        if (missingHeaders && !refusal) throw new ImportFileError(missingHeaders);
      }
      if (format === "canonical") checkCanonicalHeaders(headers, opts.format === "canonical");
      source = opts.source?.trim() || mapping?.defaultSource || format;
      if (mapping) validator = new RowValidator(source, opts.timezone, mapping.dateFormats, format === "canonical" ? headers : Object.keys(mapping.fields));
      if (validator && format === "canonical") readRecord = validator.reader.forHeaders(headers);
      for (const h of headers) if (h) samples[h] = [];
      return;
    }
    if (refusal) {
      // Told by the header and the first row together (a translated summary column next to Jira issue keys).
      const problem = refusal(headers, record);
      if (problem) throw new ImportFileError(problem);
      refusal = null;
    }
    if (missingHeaders) throw new ImportFileError(missingHeaders);
    rowNumber++;
    total++;
    if (total <= SAMPLE_ROWS) {
      for (let i = 0; i < headers.length; i++) {
        const h = headers[i];
        const v = record[i]?.trim();
        if (h && v && samples[h].length < SAMPLE_VALUES && !samples[h].includes(v)) samples[h].push(v.slice(0, 200));
      }
    }
    if (!validator) return;
    if (readRecord) {
      // Canonical CSV: cells go straight from the record to the row reader.
      validator.push(rowNumber, readRecord(record), null);
    } else {
      const rec: SourceRecord = {};
      for (let i = 0; i < headers.length; i++) {
        const h = headers[i];
        if (!h) continue;
        const v = record[i] ?? "";
        const prev = rec[h];
        // Jira repeats a column for each value of a multi-value field.
        rec[h] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev as string, v];
      }
      const { row, custom, columnOf } = applyMapping(mapping!, rec);
      validator.add(rowNumber, row, custom, columnOf);
    }
  });
  if (!headers) throw new ImportFileError("The file has no rows.");
  if (missingHeaders) throw new ImportFileError(missingHeaders);
  if (total === 0) throw new ImportFileError("The file has a header row but no incidents.");
  return {
    format,
    container: "csv",
    source,
    headers,
    samples,
    total,
    rows: validator?.rows ?? [],
    errors: validator?.errors ?? [],
    needsMapping: !validator,
  };
}

/**
 * A vendor's export in another language is refused with what to do, when the user asked
 * for auto-detection or that vendor; a column mapping of their own (Other CSV) goes ahead.
 * The check needs the first row too, so it is returned for the first record.
 */
function localisedExportCheck(
  format: ImportFormat,
  mapping: VendorMapping | null,
  opts: ParseOptions,
): ((headers: readonly string[], firstRow: readonly string[]) => string | null) | null {
  if (format === "generic" && (opts.mapping || opts.format === "generic")) return null;
  const checks = (mapping ? [mapping] : SOURCE_REFUSERS).map((m) => m.refuseHeaders).filter((f) => !!f);
  if (!checks.length) return null;
  return (headers, firstRow) => {
    for (const check of checks) {
      const problem = check(headers, firstRow);
      if (problem) return problem;
    }
    return null;
  };
}

const SOURCE_REFUSERS: readonly VendorMapping[] = [jiraCsvMapping];

function missingHeadersProblem(mapping: SourceMapping, headers: string[]): string | null {
  const missing: string[] = [];
  for (const col of REQUIRED) {
    const rule = mapping.fields[col];
    if (!rule || typeof rule === "function") continue;
    const names = typeof rule === "string" ? [rule] : rule;
    if (!names.some((n) => headers.includes(n))) missing.push(names.map((n) => `"${n}"`).join(" or "));
  }
  return missing.length ? `This file is missing columns the ${mapping.label} format needs: ${missing.join("; ")}.` : null;
}

function checkCanonicalHeaders(headers: string[], forced: boolean): void {
  const missing = REQUIRED.filter((c) => !headers.includes(c));
  if (missing.length) {
    throw new ImportFileError(
      forced
        ? `The canonical format needs the columns ${missing.join(", ")}.`
        : "The columns don't match a known format; choose a column mapping (or a preset).",
    );
  }
}

function parseJson(text: string, opts: ParseOptions & { timezone: string | null }): ParseResult {
  let items: unknown[];
  let container: "json" | "ndjson" = "json";
  try {
    // Depth is bounded first: a deep value parses, then overflows the stack where a cell is flattened.
    // An object document comes back whole (no member is named ""): unwrapEnvelope below reads its list and the rest of it.
    items = readJsonList(text, "", { single: true });
  } catch (err) {
    if (!(err instanceof UploadReadError)) throw err;
    if (err.problem === "too_deep") throw new ImportFileError(`The file is ${err.detail}; incidents and their custom fields nest at most ${MAX_JSON_DEPTH} levels.`);
    const lines = text.split(/\r?\n/).filter((l) => l.trim());
    if (lines.length < 2 || !lines[0].trim().startsWith("{")) throw new ImportFileError(`The file is not valid JSON: ${err.detail}`);
    container = "ndjson";
    items = lines.map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new ImportFileError(`Line ${i + 1} is not valid JSON (NDJSON needs one object per line).`);
      }
    });
  }
  // Only a document that is itself an object is an envelope (an array of one object is one incident).
  const unwrapped = container === "json" && text.trimStart().startsWith("{") ? unwrapEnvelope(items) : null;
  const envelope = unwrapped?.envelope ?? null;
  if (unwrapped) items = unwrapped.items;
  if (items.length === 0) throw new ImportFileError("The file holds no incidents (an empty list).");
  const keys = new Set<string>();
  for (const it of items.slice(0, 20)) if (it && typeof it === "object" && !Array.isArray(it)) for (const k of Object.keys(it)) keys.add(k);
  if (keys.size > 1000) throw new ImportFileError(`The objects have ${keys.size} keys; at most 1000 are accepted.`);
  const resolved = resolveMapping([...keys], "json", opts);
  const format = resolved.format;
  if (!resolved.mapping) {
    throw new ImportFileError(
      "The JSON objects don't match a known format (canonical, Statuspage, PagerDuty, incident.io, Jira or Opsgenie); check that the file is the tool's own API response or export.",
    );
  }
  const mapping = resolved.mapping;
  const source = opts.source?.trim() || mapping.defaultSource;
  const timezone = envelopeTimezone(mapping, envelope) ?? opts.timezone;
  const validator = new RowValidator(source, timezone, mapping.dateFormats);
  items.forEach((it, i) => {
    const rowNumber = i + 1;
    if (!it || typeof it !== "object" || Array.isArray(it)) {
      validator.errors.push({ row: rowNumber, sourceId: null, column: "(row)", reason: "is not a JSON object" });
      return;
    }
    if (format === "canonical") {
      const row: CanonicalRow = {};
      for (const [k, v] of Object.entries(it as Record<string, unknown>)) row[k] = jsonCell(v);
      validator.add(rowNumber, row, null, null);
    } else {
      const rec = mapping.prepare ? mapping.prepare(it as Record<string, unknown>, envelope) : (it as SourceRecord);
      const { row, custom, columnOf } = applyMapping(mapping, rec);
      validator.add(rowNumber, row, custom, columnOf);
    }
  });
  return { format, container, source, headers: [...keys], samples: {}, total: items.length, rows: validator.rows, errors: validator.errors, needsMapping: false };
}

/**
 * An API response wraps its list: `{"incidents": [...]}` (PagerDuty, incident.io, Statuspage),
 * `{"data": [...]}` (PagerDuty Analytics, Opsgenie), `{"issues": [...]}` (Jira search).
 * A document that is one such object gives its list, and the document itself as the
 * envelope (its `time_zone`, Jira's `names`); a single wrapped object (`{"incident": {...}}`,
 * `{"data": {...}}`) is a list of one.
 */
function unwrapEnvelope(items: unknown[]): { items: unknown[]; envelope: Record<string, unknown> } | null {
  if (items.length !== 1 || !isPlainObject(items[0])) return null;
  const doc = items[0];
  for (const key of ["incidents", ...ENVELOPE_KEYS]) {
    const inner = doc[key];
    if (Array.isArray(inner)) return { items: inner, envelope: doc };
  }
  // One object: PagerDuty's `GET /incidents/{id}` (`{"incident": {...}}`), Opsgenie's (`{"data": {...}}`).
  for (const key of ["incident", "data"]) {
    const inner = doc[key];
    if (isPlainObject(inner) && "id" in inner) return { items: [inner], envelope: doc };
  }
  return null;
}

/** The zone an envelope declares for its times (PagerDuty Analytics' `time_zone`), checked. */
function envelopeTimezone(mapping: VendorMapping, envelope: Record<string, unknown> | null): string | null {
  const tz = mapping.timezoneOf?.(envelope) ?? null;
  if (tz && !isValidTimeZone(tz)) throw new ImportFileError(`The file's time_zone "${tz}" is not a time zone this server knows (an IANA name such as Europe/Berlin is expected).`);
  return tz;
}

function jsonCell(v: unknown): string | string[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return "";
  if (Array.isArray(v)) return v.map((x) => (x !== null && typeof x === "object" ? JSON.stringify(x) : String(x)));
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
