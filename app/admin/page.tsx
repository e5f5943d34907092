import { redirect } from "next/navigation";
import { requirePageRole } from "@/lib/auth/server";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  await requirePageRole("admin");
  redirect("/admin/users");
}
