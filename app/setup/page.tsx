import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { usersExist } from "@/server/auth/identify";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

export default function SetupPage() {
  if (usersExist()) redirect("/sign-in");
  return (
    <div className="card" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>Welcome to Deploy Safety</h1>
      <p className="muted">No account exists yet. Create the first admin; they can then add the rest of the team and API tokens.</p>
      <SetupForm />
    </div>
  );
}
