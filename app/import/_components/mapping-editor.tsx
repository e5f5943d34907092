"use client";

import { useId, useState, useTransition } from "react";
import type { ImportMappingInput } from "@/lib/import/sources/generic";
import { CANONICAL_COLUMNS } from "@/lib/import/row-reader";
import { savePresetAction } from "../actions";
import styles from "../import.module.css";

const TARGETS = ["ignore", "custom", ...CANONICAL_COLUMNS] as const;
const REQUIRED = ["id", "title", "severity", "started_at"];
/** Columns whose raw values are worth normalising (the rest are free text or times). */
const VALUE_COLUMNS = new Set(["severity", "trigger", "analysis_status", "override", "change_type", "remediation", "status"]);

/** Guess: a header that is already a canonical name maps to itself; the rest start as custom fields. */
export function initialMapping(headers: string[]): ImportMappingInput {
  const columns: Record<string, (typeof TARGETS)[number]> = {};
  for (const h of headers) {
    const norm = h.trim().toLowerCase().replace(/[\s-]+/g, "_");
    columns[h] = (CANONICAL_COLUMNS as readonly string[]).includes(norm) ? (norm as (typeof TARGETS)[number]) : "custom";
  }
  return { columns, values: {}, dateFormats: [], listSeparator: ";", timezone: null };
}

export function MappingEditor({
  headers,
  samples,
  mapping,
  onChange,
  onPreview,
  busy,
}: {
  headers: string[];
  samples: Record<string, string[]>;
  mapping: ImportMappingInput;
  onChange: (m: ImportMappingInput) => void;
  onPreview: () => void;
  busy: boolean;
}) {
  const id = useId();
  const [presetName, setPresetName] = useState("");
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, startSaving] = useTransition();
  const mapped = new Set(Object.values(mapping.columns));
  const missing = REQUIRED.filter((c) => !mapped.has(c as never));

  const setColumn = (header: string, target: (typeof TARGETS)[number]) => onChange({ ...mapping, columns: { ...mapping.columns, [header]: target } });
  const setValue = (field: string, raw: string, normalised: string) => {
    const values = { ...(mapping.values ?? {}) } as Record<string, Record<string, string>>;
    const forField = { ...(values[field] ?? {}) };
    if (normalised.trim()) forField[raw] = normalised.trim();
    else delete forField[raw];
    values[field] = forField;
    onChange({ ...mapping, values });
  };
  const valueFields = headers.filter((h) => VALUE_COLUMNS.has(String(mapping.columns[h])) && (samples[h]?.length ?? 0) > 0);

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card__header">
        <h2 id={`${id}-title`}>Map the columns</h2>
        <span className="muted small">These columns don&apos;t match a known format. Choose what each one is.</span>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Sample values</th>
              <th scope="col">Field</th>
            </tr>
          </thead>
          <tbody>
            {headers.map((h, i) => (
              <tr key={h}>
                <td>
                  <label htmlFor={`${id}-col-${i}`}>{h}</label>
                </td>
                <td className="small muted">{(samples[h] ?? []).slice(0, 4).join(" · ")}</td>
                <td>
                  <select id={`${id}-col-${i}`} value={mapping.columns[h] ?? "custom"} onChange={(e) => setColumn(h, e.target.value as (typeof TARGETS)[number])}>
                    {TARGETS.map((t) => (
                      <option key={t} value={t}>
                        {t === "ignore" ? "(ignore)" : t === "custom" ? "(keep as custom field)" : t}
                        {REQUIRED.includes(t) ? " *" : ""}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {valueFields.map((h) => {
        const field = String(mapping.columns[h]);
        const current = ((mapping.values ?? {}) as Record<string, Record<string, string>>)[field] ?? {};
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
      </div>

      {missing.length ? (
        <p className="field-error" role="status">
          Still to map: {missing.join(", ")}.
        </p>
      ) : null}
      <div className="row">
        <button type="button" className="button button--primary" onClick={onPreview} disabled={busy || missing.length > 0}>
          Preview with this mapping
        </button>
        <span className="spacer" />
        <label htmlFor={`${id}-preset`} className="small">
          Save as preset
        </label>
        <input id={`${id}-preset`} type="text" value={presetName} onChange={(e) => setPresetName(e.target.value)} placeholder="preset name" maxLength={80} />
        <button
          type="button"
          className="button"
          disabled={saving || !presetName.trim() || missing.length > 0}
          onClick={() =>
            startSaving(async () => {
              const r = await savePresetAction({ name: presetName, mapping });
              setSaveMessage({ ok: r.ok, text: r.ok ? `${r.message} Use it from the command line with --preset "${presetName.trim()}".` : r.message });
            })
          }
        >
          {saving ? "Saving…" : "Save preset"}
        </button>
      </div>
      {saveMessage ? (
        <p role="status" className={saveMessage.ok ? "alert alert--success" : "alert alert--error"}>
          {saveMessage.text}
        </p>
      ) : null}
    </section>
  );
}
