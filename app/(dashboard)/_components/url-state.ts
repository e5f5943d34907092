"use client";

/** Writes one dashboard param into the address bar without a server round trip. */
export function replaceParam(key: string, value: string | null, defaultValue: string): void {
  const url = new URL(window.location.href);
  if (value === null || value === defaultValue) url.searchParams.delete(key);
  else url.searchParams.set(key, value);
  window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}
