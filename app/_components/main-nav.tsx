"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState, type KeyboardEvent } from "react";

export interface NavItem {
  href: string;
  label: string;
}

function isActive(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * The primary navigation; marks the section of the current page for sighted and screen-reader users.
 * On a narrow screen the links fold behind a "Menu" button (a disclosure: Escape closes it and
 * returns focus to the button); on a wide one the button is hidden and the links sit in the header.
 */
export function MainNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  // Open for one page only: following a link closes the menu without an effect.
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt === pathname;
  const toggle = useRef<HTMLButtonElement>(null);
  const current = items.find((i) => isActive(i.href, pathname));

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape" && open) {
      setOpenAt(null);
      toggle.current?.focus();
    }
  }

  return (
    <nav className="main-nav" aria-label="Main" data-open={open ? "true" : undefined} onKeyDown={onKeyDown}>
      <button ref={toggle} type="button" className="main-nav__toggle" aria-expanded={open} aria-controls="main-nav-list" onClick={() => setOpenAt(open ? null : pathname)}>
        <span className="main-nav__icon" aria-hidden="true" />
        Menu
        {current ? <span className="main-nav__current">: {current.label}</span> : null}
      </button>
      <ul id="main-nav-list" className="main-nav__list">
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={isActive(item.href, pathname) ? "page" : undefined} onClick={() => setOpenAt(null)}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
