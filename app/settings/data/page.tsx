import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { demoDataCounts } from "@/db/queries/general-settings";
import { requirePageRole } from "@/server/auth/guards";
import { RemoveDemoForm } from "./remove-demo-form";

export const metadata: Metadata = { title: "Data" };
export const dynamic = "force-dynamic";

export default async function DataSettingsPage() {
  await requirePageRole("admin");
  const c = demoDataCounts(getDb());
  return (
    <section className="card" aria-labelledby="data-title">
      <h2 id="data-title">Demo data</h2>
      {c.loaded || c.incidents > 0 ? (
        <>
          <p>The generated demo program is {c.loaded ? "loaded" : "partly present"}. Removing it deletes:</p>
          <table className="table" style={{ maxWidth: 480 }} data-testid="demo-counts">
            <tbody>
              <tr>
                <th scope="row">Demo incidents (with their tags and attributions)</th>
                <td className="num">{c.incidents}</td>
              </tr>
              <tr>
                <th scope="row">Demo projects</th>
                <td className="num">{c.projects}</td>
              </tr>
              <tr>
                <th scope="row">Demo deploy events</th>
                <td className="num">{c.deploys}</td>
              </tr>
              <tr>
                <th scope="row">Demo target changes</th>
                <td className="num">{c.targets}</td>
              </tr>
            </tbody>
          </table>
          <p className="small muted" style={{ marginTop: "0.75rem" }}>
            Your own imported incidents ({c.realIncidents}) stay. Policy versions and settings stay; change them under General and Policy. Closed quarters and
            published reports whose figure counted a demo incident go too (with the narrative of a quarter left without one), since they were computed over demo data;
            those over your own incidents stay.
          </p>
          <RemoveDemoForm />
        </>
      ) : (
        <p className="muted" data-testid="no-demo">
          No demo data is loaded. {c.realIncidents} incident{c.realIncidents === 1 ? "" : "s"} in the database.
        </p>
      )}
    </section>
  );
}
