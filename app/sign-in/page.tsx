import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { usersExist } from "@/server/auth/identify";
import { safeNextPath } from "@/lib/auth/next-path";
import { getActor } from "@/server/auth/guards";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!usersExist()) redirect("/setup");
  const next = safeNextPath((await searchParams).next);
  if (await getActor()) redirect(next);
  return (
    <div className="card" style={{ maxWidth: 420, margin: "2rem auto" }}>
      <h1>Sign in</h1>
      <p className="muted">Use the account an admin created for you.</p>
      <SignInForm next={next} />
    </div>
  );
}
