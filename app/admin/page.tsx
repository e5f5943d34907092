import { redirect } from "next/navigation";
import { requirePageRole } from "@/server/auth/guards";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  await requirePageRole("admin");
  redirect("/admin/users");
}
