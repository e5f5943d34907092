/**
 * The period a screen shows: a from/to quarter range read from `?from=FY2025-Q1&to=FY2026-Q4`,
 * defaulting to the last eight quarters plus the current one, with quick choices (last 4, 8
 * and 12 quarters, fiscal years, all). Pure: quarter ids and ordinals only, no calendar
 * instants, so the dashboard, projects and exports resolve a URL the same way.
 */
import { z } from "zod";
import { isQuarterId, MAX_QUARTERS_IN_RANGE, quarterIdFromOrdinal, quarterOrdinal } from "@/lib/metric/calendar";
import { quarterRangeQueryShape } from "@/lib/validation/metric";

/** Quarters before the current one that the default period shows (plus the current one). */
export const DEFAULT_PAST_QUARTERS = 8;

export interface PeriodChoice {
  /** Stable key for tests and the active state: `last4`, `last8`, `last12`, `FY2025`, `all`. */
  key: string;
  label: string;
  from: string;
  to: string;
}

export interface ResolvedPeriod {
  from: string;
  to: string;
  /** True when the URL named no range (or a bad one) and the default is shown. */
  isDefault: boolean;
  /** What was wrong with the URL's range, naming the parameter and value (the default is shown instead); null when it was fine. */
  error: string | null;
  /** Quick choices, newest first after the rolling ones; `all` last. */
  choices: PeriodChoice[];
  /** The choice that equals the range shown, if any. */
  activeKey: string | null;
}

/** The data's extent: the current quarter (the last one shown) and the earliest quarter with data. */
export interface PeriodContext {
  current: string;
  earliest: string | null;
}

const rangeQuerySchema = z.object(quarterRangeQueryShape);

function shift(id: string, by: number): string {
  return quarterIdFromOrdinal(quarterOrdinal(id) + by);
}

/** True when `id` lies in [from, to] (both inclusive). */
export function quarterInPeriod(id: string, period: { from: string; to: string }): boolean {
  if (!isQuarterId(id)) return false;
  const o = quarterOrdinal(id);
  return o >= quarterOrdinal(period.from) && o <= quarterOrdinal(period.to);
}

/** The default: the last DEFAULT_PAST_QUARTERS quarters and the current one. */
export function defaultPeriod(current: string): { from: string; to: string } {
  return { from: shift(current, -DEFAULT_PAST_QUARTERS), to: current };
}

/**
 * Quick choices for a calendar whose current quarter is `ctx.current`: the rolling periods,
 * each fiscal year that holds data (the newest five), and all (from the earliest quarter with
 * data; the current one alone when there is none).
 */
export function periodChoices(ctx: PeriodContext): PeriodChoice[] {
  const { current } = ctx;
  const out: PeriodChoice[] = [4, 8, 12].map((n) => ({ key: `last${n}`, label: `Last ${n} quarters`, from: shift(current, -n), to: current }));
  const currentFy = Math.floor(quarterOrdinal(current) / 4);
  const earliestFy = ctx.earliest ? Math.floor(quarterOrdinal(ctx.earliest) / 4) : currentFy;
  for (let fy = currentFy; fy >= Math.max(earliestFy, currentFy - 4); fy--) {
    out.push({ key: `FY${fy}`, label: `FY${fy}`, from: `FY${fy}-Q1`, to: `FY${fy}-Q4` });
  }
  const earliest = ctx.earliest && quarterOrdinal(ctx.earliest) < quarterOrdinal(current) ? ctx.earliest : current;
  out.push({ key: "all", label: "All", from: earliest, to: current });
  return out;
}

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/**
 * The range in a URL's `from`/`to`, checked: each must be a quarter id (the shared
 * `quarterRangeQueryShape`), `from` not after `to`, at most MAX_QUARTERS_IN_RANGE quarters.
 * One end alone keeps the default's length on the other side (`from` alone runs to the
 * current quarter). A bad range never throws: the default is shown and `error` says why.
 */
export function resolvePeriod(raw: { from?: unknown; to?: unknown }, ctx: PeriodContext): ResolvedPeriod {
  const choices = periodChoices(ctx);
  const fallback = defaultPeriod(ctx.current);
  const withChoices = (p: { from: string; to: string }, isDefault: boolean, error: string | null): ResolvedPeriod => ({
    ...p,
    isDefault,
    error,
    choices,
    activeKey: choices.find((c) => c.from === p.from && c.to === p.to)?.key ?? null,
  });
  const blank = (v: unknown) => v === undefined || v === null || v === "";
  const input = { from: blank(first(raw.from)) ? undefined : first(raw.from), to: blank(first(raw.to)) ? undefined : first(raw.to) };
  const parsed = rangeQuerySchema.safeParse(input);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => {
        const key = String(i.path[0]);
        return `${key}=${JSON.stringify(String(input[key as "from" | "to"]))} ${i.message}`;
      })
      .join("; ");
    return withChoices(fallback, true, `${msg}.`);
  }
  const { from, to } = parsed.data;
  if (from === undefined && to === undefined) return withChoices(fallback, true, null);
  const f = from ?? shift(to!, -DEFAULT_PAST_QUARTERS);
  const t = to ?? (quarterOrdinal(f) <= quarterOrdinal(ctx.current) ? ctx.current : f);
  if (quarterOrdinal(f) > quarterOrdinal(t)) return withChoices(fallback, true, `from=${f} is after to=${t}.`);
  if (quarterOrdinal(t) - quarterOrdinal(f) + 1 > MAX_QUARTERS_IN_RANGE) {
    return withChoices(fallback, true, `${f} to ${t} is longer than ${MAX_QUARTERS_IN_RANGE} quarters.`);
  }
  return withChoices({ from: f, to: t }, false, null);
}

/** `?from=&to=` for a period, leaving both out for the default so links stay short. */
export function periodParams(period: { from: string; to: string }, current: string): Record<string, string> {
  const d = defaultPeriod(current);
  return period.from === d.from && period.to === d.to ? {} : { from: period.from, to: period.to };
}

/** Rows of a per-quarter series inside `period`, in order. */
export function rowsInPeriod<T extends { quarter: string }>(rows: readonly T[], period: { from: string; to: string }): T[] {
  const a = quarterOrdinal(period.from);
  const b = quarterOrdinal(period.to);
  return rows.filter((r) => {
    if (!isQuarterId(r.quarter)) return false;
    const o = quarterOrdinal(r.quarter);
    return o >= a && o <= b;
  });
}
