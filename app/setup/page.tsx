import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { usersExist } from "@/server/auth/identify";
import { announceSetupCode } from "@/server/auth/setup-announce";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

export default function SetupPage() {
  if (usersExist()) redirect("/sign-in");
  // A server started without `npm start` (which prints it) prints the code on the first visit.
  announceSetupCode();
  return (
    <div className="card" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>Welcome to Deploy Safety</h1>
      <p className="muted">
        No account exists yet. Enter the one-time setup code that <code>npm start</code> printed when the server started (it is also in the file{" "}
        <code>.setup-code</code> next to the database), then create the first admin; they can then add the rest of the team and API tokens.
      </p>
      <SetupForm />
    </div>
  );
}
