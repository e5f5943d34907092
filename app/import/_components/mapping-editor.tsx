"use client";

import { useId, useState, useTransition } from "react";
import { guessMapping, MAPPING_TARGETS, type ImportMappingInput, type MappingTarget } from "@/lib/import/sources/generic";
import { savePresetAction } from "../actions";
import styles from "../import.module.css";

const REQUIRED = ["id", "title", "severity", "started_at"];
/** Columns whose raw values are worth normalising (the rest are free text or times). */
const VALUE_COLUMNS = new Set(["severity", "trigger", "analysis_status", "override", "change_type", "remediation", "status"]);
/** List fields: their values can be renamed, merged (two raw values → one name) or ignored. */
const LIST_FIELDS = ["services", "affected_features", "projects"] as const;
const FLAG_FIELD: Partial<Record<MappingTarget, (typeof LIST_FIELDS)[number]>> = { "flag:services": "services", "flag:affected_features": "affected_features" };

function targetLabel(t: MappingTarget): string {
  if (t === "ignore") return "(ignore)";
  if (t === "custom") return "(keep as custom field)";
  if (t === "flag:services") return "services: flag (1/true/yes/x adds this header)";
  if (t === "flag:affected_features") return "affected_features: flag (1/true/yes/x adds this header)";
  return REQUIRED.includes(t) ? `${t} *` : t;
}

/** The editor's first mapping and which columns it guessed (see guessMapping). */
export function initialMapping(headers: string[], samples: Record<string, string[]> = {}): { mapping: ImportMappingInput; guessed: Record<string, MappingTarget> } {
  return guessMapping(headers, samples);
}

/** Splits a list cell as the importer will (the separator, trimmed). */
function splitCell(cell: string, sep: string): string[] {
  return cell
    .split(sep || ";")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function MappingEditor({
  headers,
  samples,
  mapping,
  guessed,
  source,
  timezone,
  onChange,
  onPreview,
  busy,
}: {
  headers: string[];
  samples: Record<string, string[]>;
  mapping: ImportMappingInput;
  /** Headers whose field the editor guessed (shown as guesses until changed). */
  guessed: Record<string, MappingTarget>;
  /** The wizard's source name and time zone: a saved preset keeps them. */
  source: string;
  timezone: string;
  onChange: (m: ImportMappingInput) => void;
  onPreview: () => void;
  busy: boolean;
}) {
  const id = useId();
  const [presetName, setPresetName] = useState("");
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, startSaving] = useTransition();
  const [newIgnored, setNewIgnored] = useState("");
  const mapped = new Set(Object.values(mapping.columns));
  const missing = REQUIRED.filter((c) => !mapped.has(c as never));
  const values = (mapping.values ?? {}) as Record<string, Record<string, string>>;
  const ignored = mapping.ignoreValues ?? [];
  const isIgnored = (v: string) => ignored.some((x) => x.trim().toLowerCase() === v.trim().toLowerCase());

  const setColumn = (header: string, target: MappingTarget) => onChange({ ...mapping, columns: { ...mapping.columns, [header]: target } });
  const setValue = (field: string, raw: string, normalised: string) => {
    const next = { ...values };
    const forField = { ...(next[field] ?? {}) };
    if (normalised.trim()) forField[raw] = normalised.trim();
    else delete forField[raw];
    next[field] = forField;
    onChange({ ...mapping, values: next });
  };
  const setIgnored = (value: string, on: boolean) =>
    onChange({ ...mapping, ignoreValues: on ? [...ignored.filter((x) => !isIgnoredEq(x, value)), value] : ignored.filter((x) => !isIgnoredEq(x, value)) });
  const valueFields = headers.filter((h) => VALUE_COLUMNS.has(String(mapping.columns[h])) && (samples[h]?.length ?? 0) > 0);

  // Per list field: every value it would get from the sample rows (split cells, flag headers).
  const listValues = new Map<string, { value: string; from: string }[]>();
  for (const h of headers) {
    const target = mapping.columns[h] as MappingTarget | undefined;
    if (!target) continue;
    const flagOf = FLAG_FIELD[target];
    const field = flagOf ?? ((LIST_FIELDS as readonly string[]).includes(target) ? target : null);
    if (!field) continue;
    const list = listValues.get(field) ?? [];
    const add = (value: string) => {
      if (!list.some((x) => x.value === value)) list.push({ value, from: h });
    };
    if (flagOf) add(h.trim());
    else for (const cell of samples[h] ?? []) for (const v of splitCell(cell, mapping.listSeparator ?? ";")) add(v);
    listValues.set(field, list);
  }

  const save = () =>
    startSaving(async () => {
      const withContext = { ...mapping, source: source.trim() || null, timezone: timezone.trim() || null };
      const r = await savePresetAction({ name: presetName, mapping: withContext });
      const kept = `source "${withContext.source ?? "csv"}"${withContext.timezone ? `, time zone ${withContext.timezone}` : ""}`;
      setSaveMessage({ ok: r.ok, text: r.ok ? `${r.message} It keeps ${kept}. Use it from the command line with --preset "${presetName.trim()}".` : r.message });
    });

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="mapping-editor">
      <div className="card__header">
        <h2 id={`${id}-title`}>Map the columns</h2>
        <span className="muted small">
          These columns don&apos;t match a known format. Choose what each one is; <span className="badge badge--info">guess</span> marks a column the editor guessed from its
          name or values.
        </span>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Column in the file (sample values)</th>
              <th scope="col">Field</th>
            </tr>
          </thead>
          <tbody>
            {headers.map((h, i) => {
              const current = (mapping.columns[h] ?? "custom") as MappingTarget;
              const isGuess = guessed[h] !== undefined && guessed[h] === current;
              return (
                <tr key={h}>
                  <td className={styles.columnCell}>
                    <label htmlFor={`${id}-col-${i}`}>{h}</label>
                    <div className="small muted">{(samples[h] ?? []).slice(0, 4).join(" · ")}</div>
                  </td>
                  <td>
                    <div className={styles.fieldCell}>
                      <select id={`${id}-col-${i}`} className={styles.fieldSelect} value={current} onChange={(e) => setColumn(h, e.target.value as MappingTarget)}>
                        {MAPPING_TARGETS.map((t) => (
                          <option key={t} value={t}>
                            {targetLabel(t)}
                          </option>
                        ))}
                      </select>
                      {isGuess ? (
                        <span className="badge badge--info" title="Guessed from the column's name or values: check it" data-testid={`guess-${h}`}>
                          guess
                        </span>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {valueFields.map((h) => {
        const field = String(mapping.columns[h]);
        const current = values[field] ?? {};
        return (
          <fieldset key={h} className={styles.valueMap}>
            <legend>
              Normalise values of <strong>{h}</strong> → {field}
            </legend>
            {samples[h].map((raw, j) => (
              <div className="row" key={raw}>
                <label htmlFor={`${id}-val-${h}-${j}`} className={styles.rawValue}>
                  {raw}
                </label>
                <span aria-hidden="true">→</span>
                <input id={`${id}-val-${h}-${j}`} type="text" placeholder={raw} value={current[raw] ?? ""} onChange={(e) => setValue(field, raw, e.target.value)} />
              </div>
            ))}
          </fieldset>
        );
      })}

      {[...listValues].map(([field, list]) => {
        const current = values[field] ?? {};
        return (
          <fieldset key={field} className={styles.valueMap} data-testid={`list-values-${field}`}>
            <legend>
              Values of <strong>{field}</strong>: rename or merge (give two the same name), or ignore
            </legend>
            {list.slice(0, 60).map(({ value }, j) => (
              <div className={`row ${styles.listValue}`} key={value}>
                <label htmlFor={`${id}-lv-${field}-${j}`} className={styles.rawValue}>
                  {value}
                </label>
                <span aria-hidden="true">→</span>
                <input
                  id={`${id}-lv-${field}-${j}`}
                  aria-label={`Rename ${value} (${field})`}
                  type="text"
                  placeholder={value}
                  value={current[value] ?? ""}
                  disabled={isIgnored(value)}
                  onChange={(e) => setValue(field, value, e.target.value)}
                />
                <label className="small">
                  <input type="checkbox" checked={isIgnored(value)} onChange={(e) => setIgnored(value, e.target.checked)} /> ignore
                </label>
              </div>
            ))}
            {list.length > 60 ? <p className="small muted">and {list.length - 60} more values in the sample.</p> : null}
          </fieldset>
        );
      })}

      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-sep`}>List separator</label>
          <input id={`${id}-sep`} type="text" maxLength={5} value={mapping.listSeparator ?? ";"} onChange={(e) => onChange({ ...mapping, listSeparator: e.target.value || ";" })} />
          <span className="hint">How services and features are separated in one cell.</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-fmt`}>Date format (optional)</label>
          <input
            id={`${id}-fmt`}
            type="text"
            placeholder="e.g. MM/dd/yyyy HH:mm"
            value={(mapping.dateFormats ?? []).join(" | ")}
            onChange={(e) => onChange({ ...mapping, dateFormats: e.target.value.split("|").map((s) => s.trim()).filter(Boolean) })}
          />
          <span className="hint">For times that aren&apos;t ISO-8601; read in the time zone you choose.</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-ignore`}>Ignore a placeholder value</label>
          <div className="row">
            <input
              id={`${id}-ignore`}
              type="text"
              maxLength={500}
              value={newIgnored}
              placeholder="e.g. Visit status.example.com for more information"
              onChange={(e) => setNewIgnored(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && newIgnored.trim()) {
                  e.preventDefault();
                  setIgnored(newIgnored.trim(), true);
                  setNewIgnored("");
                }
              }}
            />
            <button
              type="button"
              className="button button--small"
              disabled={!newIgnored.trim()}
              onClick={() => {
                setIgnored(newIgnored.trim(), true);
                setNewIgnored("");
              }}
            >
              Add
            </button>
          </div>
          <span className="hint">
            Never a service, feature or project. Always ignored: n/a, none, -, ? and &ldquo;Visit … for more information&rdquo;.
          </span>
          {ignored.length ? (
            <ul className={styles.ignoredList} aria-label="Ignored values">
              {ignored.map((v) => (
                <li key={v}>
                  <code>{v}</code>{" "}
                  <button type="button" className="link-button" onClick={() => setIgnored(v, false)} aria-label={`Stop ignoring ${v}`}>
                    remove
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>

      {missing.length ? (
        <p className="field-error" role="status">
          Still to map: {missing.join(", ")}.
        </p>
      ) : null}
      <div className={`row ${styles.presetRow}`}>
        <button type="button" className="button button--primary" onClick={onPreview} disabled={busy || missing.length > 0}>
          Preview with this mapping
        </button>
        <span className="spacer" />
        <label htmlFor={`${id}-preset`} className="small">
          Save as preset
        </label>
        <input id={`${id}-preset`} type="text" value={presetName} onChange={(e) => setPresetName(e.target.value)} placeholder="preset name" maxLength={80} />
        <button type="button" className="button" disabled={saving || !presetName.trim() || missing.length > 0} onClick={save}>
          {saving ? "Saving…" : "Save preset"}
        </button>
      </div>
      <p className="small muted">
        A preset keeps this mapping with the source name ({source.trim() || "csv"}) and time zone ({timezone.trim() || "none"}) set under Options.
      </p>
      {saveMessage ? (
        <p role="status" className={saveMessage.ok ? "alert alert--success" : "alert alert--error"}>
          {saveMessage.text}
        </p>
      ) : null}
    </section>
  );
}

const isIgnoredEq = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
