/** The page's places, in the address's fragment, so that each view has a link and Back works. */
export type Route =
  | { view: "accounts" }
  | { view: "account"; accountId: string }
  | { view: "relationships" }
  | { view: "migrations"; migrationId?: string };

export function parseRoute(hash: string): Route {
  const [view = "", id] = hash
    .replace(/^#\/?/, "")
    .split("/", 2)
    .map((part) => decodeURIComponent(part));
  if (view === "account" && id) return { view: "account", accountId: id };
  if (view === "relationships") return { view: "relationships" };
  if (view === "migrations") return id ? { view: "migrations", migrationId: id } : { view: "migrations" };
  return { view: "accounts" };
}

export function href(route: Route): string {
  switch (route.view) {
    case "account":
      return `#/account/${encodeURIComponent(route.accountId)}`;
    case "migrations":
      return route.migrationId ? `#/migrations/${encodeURIComponent(route.migrationId)}` : "#/migrations";
    default:
      return `#/${route.view}`;
  }
}
