import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { LiveData, type Snapshot } from "./api.js";
import { href, parseRoute, type Route } from "./route.js";
import { AccountView } from "./views/account.js";
import { AccountsView } from "./views/accounts.js";
import { MigrationsView } from "./views/migrations.js";
import { RelationshipsView } from "./views/relationships.js";

/** The Trident console: one page, its views in the address's fragment, its data live from the read API. */

const data = new LiveData();

const TABS: { route: Route; label: string }[] = [
  { route: { view: "accounts" }, label: "Accounts" },
  { route: { view: "relationships" }, label: "Relationships" },
  { route: { view: "migrations" }, label: "Migrations" },
];

const LIVENESS_TEXT = { connecting: "connecting…", live: "live", polling: "polling (event stream down)" };

function App() {
  const [route, setRoute] = useState<Route>(parseRoute(location.hash));
  const [snapshot, setSnapshot] = useState<Snapshot>(data.snapshot);
  useEffect(() => data.subscribe(setSnapshot), []);
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  useEffect(() => data.selectMigration(route.view === "migrations" ? route.migrationId : undefined), [route]);
  const moved = useRef(false);
  useEffect(() => {
    // Another view: its heading takes the focus, so keyboard and screen-reader users land on it. Not on the first
    // view, where Tab starts from the top of the page (the skip link).
    if (moved.current) document.querySelector<HTMLElement>("main h2")?.focus();
    moved.current = true;
  }, [route.view, route.view === "account" ? route.accountId : ""]);
  const state = snapshot.state;
  const accounts = state?.accounts ?? [];
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <h1>Trident console</h1>
        <p class={`liveness liveness-${snapshot.liveness}`} role="status" data-testid="liveness">
          {LIVENESS_TEXT[snapshot.liveness]}
          {snapshot.updatedAt ? ` · updated ${snapshot.updatedAt.toLocaleTimeString()}` : ""}
        </p>
        <nav aria-label="Views" class="tabs">
          {TABS.map((tab) => (
            <a
              key={tab.label}
              href={href(tab.route)}
              aria-current={tab.route.view === route.view ? "page" : undefined}
              data-testid={`tab-${tab.route.view}`}
            >
              {tab.label}
            </a>
          ))}
          {accounts.map((account) => (
            <a
              key={account.accountId}
              href={href({ view: "account", accountId: account.accountId })}
              aria-current={route.view === "account" && route.accountId === account.accountId ? "page" : undefined}
              class="account-tab"
            >
              {account.accountId}
            </a>
          ))}
        </nav>
      </header>
      <main id="main" tabIndex={-1} data-view={route.view}>
        {snapshot.error ? (
          <p class="bad" role="alert">
            Cannot read the state: {snapshot.error}
          </p>
        ) : null}
        {!state ? (
          <p aria-live="polite">Loading…</p>
        ) : route.view === "accounts" ? (
          <>
            <h2 tabIndex={-1} class="visually-hidden">
              Accounts side by side
            </h2>
            <AccountsView accounts={accounts} />
          </>
        ) : route.view === "account" ? (
          <AccountView account={accounts.find((a) => a.accountId === route.accountId)} />
        ) : route.view === "relationships" ? (
          <>
            <h2 tabIndex={-1}>Who may restore what, whose key another account may use</h2>
            <RelationshipsView graph={state.relationships} />
          </>
        ) : (
          <MigrationsView
            migrations={snapshot.migrations}
            selected={route.migrationId}
            migration={snapshot.migration}
          />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
data.start();
