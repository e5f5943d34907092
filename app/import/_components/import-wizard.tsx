"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type DragEvent } from "react";
import { SEVERITY_CHOICES, type ImportPreview, type SeverityChoice } from "@/lib/import/preview";
import type { ImportMappingInput, MappingTarget } from "@/lib/import/sources/generic";
import { mapSeveritiesAction } from "../actions";
import styles from "../import.module.css";
import { initialMapping, MappingEditor } from "./mapping-editor";
import { PreviewTable } from "./preview-table";
import { uploadImport, type UploadOptions } from "./upload";

type Counts = { batchId: number | null; source: string; format: string; total: number; created: number; updated: number; unchanged: number; rejected: number };
type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; what: "preview" | "import"; progress: number }
  | { kind: "preview"; preview: ImportPreview; counts: Counts | null }
  | { kind: "done"; summary: Counts }
  | { kind: "error"; message: string; details?: string[] };

const FORMATS = [
  ["auto", "Detect automatically"],
  ["canonical", "Canonical (CSV / JSON / NDJSON)"],
  ["statuspage", "Statuspage JSON"],
  ["pagerduty", "PagerDuty (API JSON or CSV)"],
  ["incidentio", "incident.io (API JSON or CSV)"],
  ["jira", "Jira / JSM (CSV or REST JSON)"],
  ["opsgenie", "Opsgenie (API JSON)"],
  ["generic", "Other CSV (map columns)"],
] as const;

const CHOICE_LABELS: Record<SeverityChoice, string> = { high: "high", medium: "medium", low: "low", ignore: "leave unmapped" };

export function ImportWizard({ presets, canMapSeverities }: { presets: { name: string; mapping: ImportMappingInput }[]; canMapSeverities: boolean }) {
  const id = useId();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [format, setFormat] = useState("auto");
  const [source, setSource] = useState("");
  const [timezone, setTimezone] = useState("");
  const [preset, setPreset] = useState("");
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [overwriteCurated, setOverwriteCurated] = useState(false);
  const [mapping, setMapping] = useState<ImportMappingInput | null>(null);
  const [guessed, setGuessed] = useState<Record<string, MappingTarget>>({});
  // The columns the editor maps: kept while a preview runs, so the editor (and a preset name typed in it) stays put.
  const [editorColumns, setEditorColumns] = useState<{ headers: string[]; samples: Record<string, string[]> } | null>(null);
  const [analysed, setAnalysed] = useState(false);
  const [markTrigger, setMarkTrigger] = useState<"" | "other" | "unknown">("");
  const [severityChoices, setSeverityChoices] = useState<Record<string, SeverityChoice>>({});
  const [leftUnmapped, setLeftUnmapped] = useState<string[]>([]);
  const [severityMessage, setSeverityMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [savingSeverities, startSavingSeverities] = useTransition();
  const [marked, setMarked] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const busy = phase.kind === "uploading";

  const options = (extra: Partial<UploadOptions> = {}): UploadOptions => ({
    format: mapping ? "generic" : format,
    source: source.trim() || undefined,
    timezone: timezone.trim() || undefined,
    overwriteCurated,
    mapping: mapping ?? undefined,
    preset: !mapping && preset ? preset : undefined,
    analysed,
    trigger: markTrigger || undefined,
    ...extra,
  });

  async function preview(f: File, m: ImportMappingInput | null = mapping) {
    setPhase({ kind: "uploading", what: "preview", progress: 0 });
    try {
      const res = await uploadImport(f, { ...options(), mapping: m ?? undefined, format: m ? "generic" : format, preview: true }, (p) =>
        setPhase({ kind: "uploading", what: "preview", progress: p }),
      );
      if (res.status !== 200) return setPhase(errorPhase(res.body));
      const pv = res.body.preview as ImportPreview;
      if (pv.needsMapping && !m) {
        const g = initialMapping(pv.headers, pv.samples);
        setMapping(g.mapping);
        setGuessed(g.guessed);
      }
      if (pv.needsMapping || pv.format === "generic") setEditorColumns({ headers: pv.headers, samples: pv.samples });
      setPhase({ kind: "preview", preview: pv, counts: (res.body.summary as Counts | null) ?? null });
    } catch (err) {
      setPhase({ kind: "error", message: err instanceof Error ? err.message : "The upload failed." });
    }
  }

  async function confirmImport() {
    if (!file) return;
    setPhase({ kind: "uploading", what: "import", progress: 0 });
    try {
      const res = await uploadImport(file, options({ skipInvalid }), (p) => setPhase({ kind: "uploading", what: "import", progress: p }));
      if (res.status !== 200) return setPhase(errorPhase(res.body));
      setMarked(
        analysed || markTrigger
          ? [analysed ? "analysis complete" : null, markTrigger === "other" ? "not change-triggered" : markTrigger === "unknown" ? "trigger unknown" : null].filter(Boolean).join(", ")
          : null,
      );
      setPhase({ kind: "done", summary: res.body as unknown as Counts });
      router.refresh();
    } catch (err) {
      setPhase({ kind: "error", message: err instanceof Error ? err.message : "The upload failed." });
    }
  }

  function choose(f: File | undefined | null) {
    if (!f) return;
    setFile(f);
    setMapping(null);
    setGuessed({});
    setEditorColumns(null);
    setSeverityChoices({});
    setLeftUnmapped([]);
    setSeverityMessage(null);
    void preview(f, null);
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files?.[0]);
  }

  /** Choosing a preset fills the source name and time zone it keeps, and loads its mapping into an open editor. */
  function choosePreset(name: string) {
    setPreset(name);
    const p = presets.find((x) => x.name === name);
    if (!p) return;
    if (p.mapping.source) setSource(p.mapping.source);
    if (p.mapping.timezone) setTimezone(p.mapping.timezone);
    if (mapping) {
      setMapping(p.mapping);
      setGuessed({});
    }
  }

  function saveSeverities(pvNow: ImportPreview) {
    const choices = Object.fromEntries(Object.entries(severityChoices).filter(([sev]) => pvNow.unmappedSeverities?.some((u) => u.severity === sev)));
    setSeverityMessage(null);
    startSavingSeverities(async () => {
      const r = await mapSeveritiesAction({ choices, fileName: file?.name });
      setSeverityMessage({ ok: r.ok, text: r.message });
      if (!r.ok) return;
      setLeftUnmapped((prev) => [...new Set([...prev, ...Object.entries(choices).filter(([, c]) => c === "ignore").map(([s]) => s)])]);
      setSeverityChoices({});
      if (file) await preview(file);
    });
  }

  const pv = phase.kind === "preview" ? phase.preview : null;
  const unmapped = (pv?.unmappedSeverities ?? []).filter((u) => !leftUnmapped.includes(u.severity));
  const invalidRows = pv ? pv.total - pv.valid : 0;
  const canImport = !!pv && !pv.needsMapping && pv.valid > 0 && (invalidRows === 0 || skipInvalid);

  const editorProps = {
    headers: editorColumns?.headers ?? [],
    samples: editorColumns?.samples ?? {},
    mapping: mapping!,
    guessed,
    source,
    timezone,
    onChange: setMapping,
    busy,
    onPreview: () => file && preview(file, mapping),
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby={`${id}-upload`}>
        <div className="card__header">
          <h2 id={`${id}-upload`}>1. Choose a file</h2>
        </div>
        <div
          className={`${styles.dropZone} ${dragging ? styles.dropZoneActive : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="drop-zone"
        >
          <p>Drag and drop a file here, or</p>
          {/* One control: the native input, visually hidden but focusable, opened by its visible label. */}
          <input
            id={`${id}-file`}
            aria-label="File to import"
            className={styles.fileInput}
            type="file"
            accept=".csv,.json,.ndjson,.jsonl,.txt,text/csv,application/json"
            disabled={busy}
            onChange={(e) => {
              choose(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
          <label htmlFor={`${id}-file`} className={`button ${styles.chooseButton}`} aria-disabled={busy || undefined}>
            {file ? "Choose another file" : "Choose a file"}
          </label>
          {file ? (
            <p className="small" data-testid="chosen-file">
              <strong>{file.name}</strong> · {(file.size / 1024).toFixed(1)} KB
            </p>
          ) : (
            <p className="small muted">CSV, JSON or NDJSON, UTF-8.</p>
          )}
        </div>

        <details className={styles.options}>
          <summary>Options</summary>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${id}-format`}>Format</label>
              <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value)}>
                {FORMATS.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-source`}>Source name</label>
              <input id={`${id}-source`} type="text" value={source} onChange={(e) => setSource(e.target.value)} placeholder="default per format" maxLength={100} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-tz`}>Time zone for times without an offset</label>
              <input id={`${id}-tz`} type="text" value={timezone} onChange={(e) => setTimezone(e.target.value)} placeholder="e.g. Europe/Berlin" maxLength={100} />
              <span className="hint">Jira CSV exports need this.</span>
            </div>
            {presets.length ? (
              <div className="field">
                <label htmlFor={`${id}-preset`}>Mapping preset</label>
                <select id={`${id}-preset`} value={preset} onChange={(e) => choosePreset(e.target.value)}>
                  <option value="">(none)</option>
                  {presets.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
          <div className="row">
            <label>
              <input type="checkbox" checked={overwriteCurated} onChange={(e) => setOverwriteCurated(e.target.checked)} /> Overwrite curated fields (trigger, impact window,
              attribution…) of existing incidents
            </label>
          </div>
          <button type="button" className="button button--small" disabled={!file || busy} onClick={() => file && preview(file)}>
            Preview again with these options
          </button>
        </details>
      </section>

      {phase.kind === "uploading" ? (
        <section className="card" aria-live="polite">
          <label htmlFor={`${id}-progress`}>{phase.what === "preview" ? "Uploading and checking…" : "Importing…"}</label>
          <progress id={`${id}-progress`} className={styles.progress} max={1} value={phase.progress < 1 ? phase.progress : undefined} />
          <p className="small muted">{phase.progress < 1 ? `${Math.round(phase.progress * 100)}% uploaded` : "Processing on the server…"}</p>
        </section>
      ) : null}

      {phase.kind === "error" ? (
        <div className="alert alert--error" role="alert">
          <strong>{phase.message}</strong>
          {phase.details?.length ? (
            <ul className={styles.errorList}>
              {phase.details.slice(0, 200).map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {mapping && editorColumns && phase.kind !== "done" ? <MappingEditor {...editorProps} /> : null}

      {pv && !pv.needsMapping ? (
        <section className="card" aria-labelledby={`${id}-preview`}>
          <div className="card__header">
            <h2 id={`${id}-preview`}>2. Check the preview</h2>
            <span className="badge badge--info" data-testid="detected-format">
              {pv.formatLabel}
            </span>
          </div>
          <p data-testid="preview-summary">
            {pv.total} rows · <strong>{pv.valid}</strong> valid ·{" "}
            <strong className={invalidRows ? styles.bad : undefined}>{invalidRows}</strong> with problems
            {phase.kind === "preview" && phase.counts ? (
              <>
                {" "}
                · would create {phase.counts.created}, update {phase.counts.updated}, leave {phase.counts.unchanged} unchanged
              </>
            ) : null}{" "}
            · source <code>{pv.source}</code>
          </p>
          {invalidRows ? (
            <div className="alert alert--warning" role="status">
              {invalidRows} row(s) can&apos;t be imported as they are. Fix the file and choose it again, or skip them.
            </div>
          ) : null}
          {unmapped.length ? (
            <div className="alert alert--warning" data-testid="unmapped-severities">
              <p>
                <strong>
                  {unmapped.length === 1 ? "1 severity" : `${unmapped.length} severities`} in this file {unmapped.length === 1 ? "is" : "are"} not mapped by the counting policy
                  {pv.policyVersion ? ` (version ${pv.policyVersion})` : " (the default)"}
                </strong>
                : incidents with {unmapped.length === 1 ? "it" : "them"} never count. Map them now to save a new policy version before importing.
              </p>
              <div className="table-wrap">
                <table className={`table ${styles.severityTable}`}>
                  <thead>
                    <tr>
                      <th scope="col">Severity</th>
                      <th scope="col" className="num">
                        Incidents
                      </th>
                      <th scope="col">Class</th>
                    </tr>
                  </thead>
                  <tbody>
                    {unmapped.map((u, i) => (
                      <tr key={u.severity}>
                        <td>
                          <label htmlFor={`${id}-sev-${i}`}>
                            <code>{u.severity || "(empty)"}</code>
                          </label>
                        </td>
                        <td className="num">{u.count}</td>
                        <td>
                          <select
                            id={`${id}-sev-${i}`}
                            value={severityChoices[u.severity] ?? ""}
                            disabled={!canMapSeverities}
                            onChange={(e) => {
                              const next = { ...severityChoices };
                              if (e.target.value) next[u.severity] = e.target.value as SeverityChoice;
                              else delete next[u.severity];
                              setSeverityChoices(next);
                            }}
                          >
                            <option value="">choose…</option>
                            {SEVERITY_CHOICES.map((c) => (
                              <option key={c} value={c}>
                                {CHOICE_LABELS[c]}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {canMapSeverities ? (
                <button
                  type="button"
                  className="button"
                  disabled={savingSeverities || busy || !Object.keys(severityChoices).length}
                  onClick={() => saveSeverities(pv)}
                >
                  {savingSeverities ? "Saving…" : `Save as policy version ${(pv.policyVersion ?? 0) + 1}`}
                </button>
              ) : (
                <p className="small">Only a lead can change the counting policy: ask one to map these here or under Settings.</p>
              )}
            </div>
          ) : null}
          {severityMessage ? (
            <p role="status" className={severityMessage.ok ? "alert alert--success" : "alert alert--error"} data-testid="severity-message">
              {severityMessage.text}
            </p>
          ) : null}
          <PreviewTable rows={pv.rows} total={pv.total} />
        </section>
      ) : null}

      {pv && !pv.needsMapping ? (
        <section className="card" aria-labelledby={`${id}-confirm`}>
          <h2 id={`${id}-confirm`}>3. Import</h2>
          <fieldset className={styles.historical}>
            <legend className="small">For the incidents this import creates (existing ones keep their tags)</legend>
            <label>
              <input type="checkbox" checked={analysed} onChange={(e) => setAnalysed(e.target.checked)} /> Already analysed (analysis complete)
            </label>
            <label>
              Triage as{" "}
              <select value={markTrigger} onChange={(e) => setMarkTrigger(e.target.value as "" | "other" | "unknown")}>
                <option value="">as in the file</option>
                <option value="other">not change-triggered</option>
                <option value="unknown">unknown</option>
              </select>
            </label>
          </fieldset>
          {invalidRows ? (
            <label className="row">
              <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> Skip the {invalidRows} invalid row(s) and import the{" "}
              {pv.valid} valid ones
            </label>
          ) : null}
          <button type="button" className="button button--primary" disabled={!canImport || busy} onClick={confirmImport}>
            Import {invalidRows && skipInvalid ? pv.valid : pv.total} incident(s)
          </button>
        </section>
      ) : null}

      {phase.kind === "done" ? (
        <div className="alert alert--success" role="status" data-testid="import-result">
          Imported batch {phase.summary.batchId}: {phase.summary.created} created, {phase.summary.updated} updated, {phase.summary.unchanged} unchanged,{" "}
          {phase.summary.rejected} rejected.{marked ? ` New incidents marked: ${marked}.` : ""}
        </div>
      ) : null}
    </div>
  );
}

function errorPhase(body: Record<string, unknown>): Phase {
  const message = typeof body.message === "string" ? body.message : "The import failed.";
  const rowErrors = Array.isArray(body.errors) ? (body.errors as { row: number; sourceId: string | null; column: string; reason: string }[]) : [];
  const issues = Array.isArray(body.issues) ? (body.issues as { field: string; message: string }[]) : [];
  return {
    kind: "error",
    message,
    details: rowErrors.length
      ? rowErrors.map((e) => `Row ${e.row}${e.sourceId ? ` (${e.sourceId})` : ""}, ${e.column}: ${e.reason}`)
      : issues.map((i) => `${i.field}: ${i.message}`),
  };
}
