import { NextResponse, type NextRequest } from "next/server";
import { PATH_HEADER } from "@/lib/auth/next-path";

/**
 * Passes the requested path to server components (for `/sign-in?next=`), overwriting any
 * value a client sent. Authorization is not decided here: every page, action and route
 * handler checks its own role (lib/auth/server.ts, lib/auth/api.ts).
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
